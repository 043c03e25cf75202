package dev.tokenledger.anomaly;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

/**
 * Configuration of the anomaly detectors: one {@link Rule} per kind, and the settings shared by all.
 * The defaults are the values docs/anomalies.md documents.
 *
 * @param graceHours        an hour is scored once rollups up to this many hours after it have arrived,
 *                          so rollups re-emitted or arriving out of order within the grace are all in
 * @param updateEveryHours  while open, an anomaly is re-emitted ({@code updated}) at most this often, or when its severity rises
 * @param mediumImpactUsd   cumulative |impact| from which an anomaly is {@code medium}
 * @param highImpactUsd     cumulative |impact| from which an anomaly is {@code high}
 * @param coverageTarget    the attributed share of a day's cost under which coverage_drop fires
 * @param topSources        how many sources coverage_drop names
 */
public record AnomalySettings(Map<AnomalyKind, Rule> rules, int graceHours, int updateEveryHours,
                              BigDecimal mediumImpactUsd, BigDecimal highImpactUsd,
                              BigDecimal coverageTarget, int topSources) {

    /** Retries (for the retry share) or failures (for the error rate) an hour needs before retry_storm may open. */
    public static final long MIN_RATIO_EVENTS = 5;

    /** Consecutive anomalous hours a statistical rule needs before it opens an anomaly, by default. */
    public static final int CONFIRM_HOURS = 2;

    /** Which way a change must go to count. */
    public enum Direction { UP, DOWN, BOTH }

    /**
     * The rule of one detector. A window is anomalous when every condition holds: the series has
     * at least {@code baseline.minHistoryHours()} values; the window has {@code minVolume} requests and
     * costs at least {@code minSpendUsd}; the value moved in {@code direction} by at least
     * {@code minRelativeChange} of the expected value and by at least {@code minAbsoluteChange} in the
     * series' unit; and its robust z-score is at least {@code minScore} in that direction.
     *
     * @param resolveAfterNormal consecutive normal windows that resolve an open anomaly
     * @param confirmWindows     consecutive anomalous windows (of those the rule can score) before an anomaly opens:
     *                           one lone hour of a noisy series is no incident, a change that lasts is
     */
    public record Rule(boolean enabled, Direction direction, double minScore, double minRelativeChange,
                       double minAbsoluteChange, BigDecimal minSpendUsd, long minVolume,
                       int resolveAfterNormal, Baseline.Settings baseline, int confirmWindows) {

        public Rule {
            if (minScore < 0 || minRelativeChange < 0 || minAbsoluteChange < 0 || minVolume < 0 || resolveAfterNormal < 1
                    || confirmWindows < 1) {
                throw new IllegalArgumentException(
                        "anomaly rule thresholds must be non-negative, resolveAfterNormal and confirmWindows positive");
            }
        }

        /** A rule that opens on its first anomalous window. */
        public Rule(boolean enabled, Direction direction, double minScore, double minRelativeChange, double minAbsoluteChange,
                    BigDecimal minSpendUsd, long minVolume, int resolveAfterNormal, Baseline.Settings baseline) {
            this(enabled, direction, minScore, minRelativeChange, minAbsoluteChange, minSpendUsd, minVolume,
                    resolveAfterNormal, baseline, 1);
        }

        public Rule withConfirmWindows(int windows) {
            return new Rule(enabled, direction, minScore, minRelativeChange, minAbsoluteChange, minSpendUsd, minVolume,
                    resolveAfterNormal, baseline, windows);
        }

        /**
         * The rule at half its score, relative and absolute thresholds: a window counts towards
         * resolving an anomaly only when even this one does not fire, so a series hovering at the
         * threshold does not open, resolve and reopen.
         */
        public Rule relaxed() {
            return new Rule(enabled, direction, minScore / 2, minRelativeChange / 2, minAbsoluteChange / 2, minSpendUsd,
                    minVolume, resolveAfterNormal, baseline, confirmWindows);
        }

        public Rule disabled() {
            return new Rule(false, direction, minScore, minRelativeChange, minAbsoluteChange, minSpendUsd, minVolume,
                    resolveAfterNormal, baseline, confirmWindows);
        }
    }

    public Rule rule(AnomalyKind kind) {
        return rules.get(kind);
    }

    public AnomalySettings with(AnomalyKind kind, Rule rule) {
        Map<AnomalyKind, Rule> copy = new EnumMap<>(rules);
        copy.put(kind, rule);
        return new AnomalySettings(copy, graceHours, updateEveryHours, mediumImpactUsd, highImpactUsd, coverageTarget, topSources);
    }

    public AnomalySettings withGraceHours(int hours) {
        return new AnomalySettings(rules, hours, updateEveryHours, mediumImpactUsd, highImpactUsd, coverageTarget, topSources);
    }

    /** The longest history any rule keeps, in hours: how long the engine retains closed hours' rollups. */
    public int historyHours() {
        return rules.values().stream().mapToInt(r -> r.baseline().historyHours()).max().orElse(0);
    }

    public static AnomalySettings defaults() {
        Map<AnomalyKind, Rule> rules = new EnumMap<>(AnomalyKind.class);
        rules.put(AnomalyKind.UNIT_COST_DRIFT, new Rule(true, Direction.UP, 4, 0.20, 0.0002, usd("0.50"), 20, 3,
                Baseline.Settings.flat(0.00001), CONFIRM_HOURS));
        rules.put(AnomalyKind.SPEND_SPIKE, new Rule(true, Direction.UP, 4, 0.50, 1.00, usd("1.00"), 25, 3,
                Baseline.Settings.seasonal(0.10), CONFIRM_HOURS));
        rules.put(AnomalyKind.RETRY_STORM, new Rule(true, Direction.UP, 4, 1.00, 0.05, usd("0"), 20, 3,
                Baseline.Settings.flat(0.01), CONFIRM_HOURS));
        rules.put(AnomalyKind.CACHE_HIT_DROP, new Rule(true, Direction.DOWN, 4, 0.25, 0.10, usd("0.50"), 20, 3,
                Baseline.Settings.flat(0.02), CONFIRM_HOURS));
        rules.put(AnomalyKind.TOKEN_SHAPE_CHANGE, new Rule(true, Direction.BOTH, 4, 0.50, 200, usd("0.50"), 20, 3,
                Baseline.Settings.flat(10), CONFIRM_HOURS));
        // Not statistical: any unpriced request of a model never priced. The baseline only sizes the history.
        rules.put(AnomalyKind.NEW_UNPRICED_MODEL, new Rule(true, Direction.UP, 0, 0, 0, usd("0"), 1, 3,
                Baseline.Settings.flat(1)));
        // Scored per UTC day against coverageTarget; resolved by one day back above it.
        rules.put(AnomalyKind.COVERAGE_DROP, new Rule(true, Direction.DOWN, 0, 0, 0, usd("10.00"), 1, 1,
                Baseline.Settings.flat(1)));
        return new AnomalySettings(rules, 2, 6, usd("10.00"), usd("100.00"), new BigDecimal("0.90"), 3);
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }
}
