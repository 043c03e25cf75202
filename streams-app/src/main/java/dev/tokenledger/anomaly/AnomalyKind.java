package dev.tokenledger.anomaly;

/** The kinds of anomaly on llm.alerts.anomaly.v1; each rule is documented in docs/anomalies.md. */
public enum AnomalyKind {
    UNIT_COST_DRIFT("unit_cost_drift"),
    SPEND_SPIKE("spend_spike"),
    RETRY_STORM("retry_storm"),
    CACHE_HIT_DROP("cache_hit_drop"),
    TOKEN_SHAPE_CHANGE("token_shape_change"),
    NEW_UNPRICED_MODEL("new_unpriced_model"),
    COVERAGE_DROP("coverage_drop");

    private final String id;

    AnomalyKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
