package dev.tokenledger.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency percentiles for the benchmarks: the nearest-rank method, on a sorted copy. */
public final class Percentiles {

    private Percentiles() {
    }

    /** The nearest-rank {@code q}-quantile (0 &lt; q &le; 1) of {@code values}; -1 when there is no sample. */
    public static long nearestRank(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }
}
