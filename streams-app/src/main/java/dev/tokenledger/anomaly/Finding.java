package dev.tokenledger.anomaly;

import java.math.BigDecimal;
import java.util.List;

/**
 * One anomalous window of one series, as a detector found it; {@link AnomalyTracker} turns findings
 * into the lifecycle of an {@link Anomaly}.
 *
 * @param decomposition the drivers of this window's cost change, or null for kinds without one
 * @param impactUsd     this window's impact: the decomposition's, or the rule's own for kinds without one
 * @param measure       what the value measures, for the explanation ("cost per request", "retry share")
 */
public record Finding(AnomalyKind kind, String scopeType, String scopeId, String feature, String model,
                      long windowStartMs, long windowEndMs, double actual, double expected, String unit,
                      String measure, double score, Drivers.Decomposition decomposition, BigDecimal impactUsd,
                      List<Anomaly.Source> sources) {

    public String key() {
        return AnomalyTracker.key(kind, scopeType, scopeId, feature, model);
    }
}
