package dev.tokenledger.anomaly;

import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.AnomalyDriver;
import dev.tokenledger.avro.AnomalySource;

/** Builds the records of llm.alerts.anomaly.v1, keyed by {@link AnomalyAlert#getAnomalyId()}. */
public final class AnomalyAlerts {

    private AnomalyAlerts() {
    }

    public static AnomalyAlert toAvro(Anomaly a) {
        return AnomalyAlert.newBuilder()
                .setAnomalyId(a.anomalyId())
                .setKind(a.kind().id())
                .setState(a.state())
                .setScopeType(a.scopeType())
                .setScopeId(a.scopeId())
                .setFeature(a.feature())
                .setModel(a.model())
                .setWindowStart(a.windowStart())
                .setWindowEnd(a.windowEnd())
                .setDetectedAt(a.detectedAt())
                .setActual(a.actual())
                .setExpected(a.expected())
                .setUnit(a.unit())
                .setImpactUsd(a.impactUsd())
                // A rule that is not statistical has no score; Avro has no NaN-free double, so null says so.
                .setScore(Double.isFinite(a.score()) ? a.score() : null)
                .setSeverity(a.severity())
                .setDrivers(a.drivers().stream()
                        .map(d -> new AnomalyDriver(d.name(), d.amountUsd(), d.detail())).toList())
                .setSources(a.sources().stream()
                        .map(s -> new AnomalySource(s.name(), s.amountUsd())).toList())
                .setExplanation(a.explanation())
                .build();
    }
}
