package dev.tokenledger.metrics;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric's label values bounded: the first {@code limit} distinct combinations are kept as
 * they are, every later one is reported as {@link #OTHER}. Label values such as team, feature or
 * model come from events and the registries, so without a cap one mistyped or generated value per
 * call would create a time series per call in Prometheus. The exact figures per value are in the
 * warehouse; the metrics are for graphs and alerts.
 */
public final class BoundedLabels {

    /** What a combination beyond the cap is reported as, in every one of its labels. */
    public static final String OTHER = "_other";

    private final int limit;
    private final Set<List<String>> kept = ConcurrentHashMap.newKeySet();

    public BoundedLabels(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a label limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    /** {@code values} if they are kept (or there is room to keep them), else {@link #OTHER} for each. */
    public List<String> bound(String... values) {
        List<String> combination = List.of(values);
        if (kept.contains(combination)) {
            return combination;
        }
        synchronized (this) {
            if (kept.contains(combination) || kept.size() < limit) {
                kept.add(combination);
                return combination;
            }
        }
        return Collections.nCopies(values.length, OTHER);
    }

    public int limit() {
        return limit;
    }
}
