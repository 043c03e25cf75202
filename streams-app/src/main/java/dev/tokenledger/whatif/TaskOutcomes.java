package dev.tokenledger.whatif;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The month's final tasks per feature and primary model (v_task_results): how many ended with a known outcome
 * (success, failure, abandoned) and how many succeeded. Empty when the product reports no outcomes.
 */
public final class TaskOutcomes {

    /** Known-outcome tasks and successes of one (feature, model). */
    public record Counts(long known, long successes) {

        Counts plus(Counts o) {
            return new Counts(known + o.known, successes + o.successes);
        }

        /** successes / known, or empty without a known outcome. */
        Optional<BigDecimal> successRate() {
            return known == 0 ? Optional.empty()
                    : Optional.of(BigDecimal.valueOf(successes).divide(BigDecimal.valueOf(known), 12, RoundingMode.HALF_EVEN));
        }
    }

    public static final TaskOutcomes NONE = new TaskOutcomes();

    private final Map<String, Map<String, Counts>> byFeature = new TreeMap<>();

    public void add(String feature, String model, long known, long successes) {
        byFeature.computeIfAbsent(feature, f -> new TreeMap<>(String.CASE_INSENSITIVE_ORDER))
                .merge(model, new Counts(known, successes), Counts::plus);
    }

    public boolean isEmpty() {
        return byFeature.isEmpty();
    }

    /** Every model of the feature together; zero counts when it has no tasks. */
    Counts feature(String feature) {
        return byFeature.getOrDefault(feature, Map.of()).values().stream().reduce(new Counts(0, 0), Counts::plus);
    }

    Counts model(String feature, String model) {
        return byFeature.getOrDefault(feature, Map.of()).getOrDefault(model, new Counts(0, 0));
    }

    Map<String, Counts> models(String feature) {
        return byFeature.getOrDefault(feature, Map.of());
    }
}
