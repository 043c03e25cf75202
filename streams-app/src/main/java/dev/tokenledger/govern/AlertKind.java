package dev.tokenledger.govern;

/** The kinds of alert on llm.alerts.budget.v1. */
public enum AlertKind {
    SOFT("soft"),
    HARD("hard"),
    FORECAST("forecast"),
    REQUEST_CEILING("request_ceiling"),
    AGENT_RUN_CEILING("agent_run_ceiling");

    private final String id;

    AlertKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
