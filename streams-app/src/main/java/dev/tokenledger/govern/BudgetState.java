package dev.tokenledger.govern;

/** Where a scope's spend stands against its budget, as the gateway sees it. */
public enum BudgetState {
    OK("ok"),
    SOFT("soft"),
    HARD("hard");

    private final String id;

    BudgetState(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
