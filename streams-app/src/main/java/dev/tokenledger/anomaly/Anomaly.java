package dev.tokenledger.anomaly;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One state of one anomaly, as {@link AnomalyTracker} emits it: raised ({@code open}), grown
 * ({@code updated}), marked as planned ({@code acknowledged}) or over ({@code resolved}); or, after
 * rollups arrived later than the grace, found never to have been one ({@code withdrawn}: the stage's
 * rebuild in event-time order no longer yields it). Every state of an anomaly carries the same
 * {@code anomalyId}, so downstream keeps the latest per id.
 *
 * @param feature       the feature, when the scope is one or lies within one; else null
 * @param model         the model, when the scope is one model or feature × model; else null
 * @param windowStart   start of the first anomalous hour (the onset)
 * @param windowEnd     end of the latest anomalous hour (the day, for coverage_drop)
 * @param detectedAt    event time the anomaly was first detected: the end of its first anomalous window
 * @param actual        the series' value in the latest anomalous window, in {@code unit}
 * @param expected      the baseline's value for that window, in {@code unit}
 * @param impactUsd     exact USD since the onset: the sum of the drivers
 * @param score         robust z-score of the latest anomalous window (NaN when the rule is not statistical)
 * @param drivers       volume, model_mix, token_shape, rate (empty for new_unpriced_model and coverage_drop)
 * @param sources       the largest contributors named by the rule (untagged sources for coverage_drop)
 */
public record Anomaly(String anomalyId, AnomalyKind kind, String state, String scopeType, String scopeId,
                      String feature, String model, Instant windowStart, Instant windowEnd, Instant detectedAt,
                      double actual, double expected, String unit, BigDecimal impactUsd, double score,
                      String severity, List<Driver> drivers, List<Source> sources, String explanation) {

    public static final String OPEN = "open";
    public static final String UPDATED = "updated";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED = "resolved";
    public static final String WITHDRAWN = "withdrawn";

    /** One driver of the change: volume, model_mix, token_shape or rate, exact USD, and what moved. */
    public record Driver(String name, BigDecimal amountUsd, String detail) {
    }

    /** One named contributor, exact USD. */
    public record Source(String name, BigDecimal amountUsd) {
    }
}
