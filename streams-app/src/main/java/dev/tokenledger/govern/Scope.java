package dev.tokenledger.govern;

import java.util.Set;

/**
 * What spend is counted against: a budget scope ({@code team:search}, {@code global:*}) or an agent run
 * ({@code agent_run:run-42}). The key {@code type:id} is the repartition key and the store key, so
 * everything about one scope lives in one task.
 *
 * <p>There is one global scope whatever id a global budget names ({@code global,all} or
 * {@code global,global}): its spend is kept under {@link #GLOBAL_ID}, and its outputs carry the
 * budget's own id so they join the budget row downstream.
 */
public record Scope(String type, String id) {

    public static final String TEAM = "team";
    public static final String FEATURE = "feature";
    public static final String CUSTOMER = "customer";
    public static final String ENVIRONMENT = "environment";
    public static final String WORKLOAD = "workload";
    public static final String GLOBAL = "global";
    public static final String AGENT_RUN = "agent_run";
    public static final String GLOBAL_ID = "*";

    /** Scope types a budget can name. */
    public static final Set<String> BUDGET_TYPES = Set.of(TEAM, FEATURE, CUSTOMER, ENVIRONMENT, WORKLOAD, GLOBAL);

    public Scope {
        if (GLOBAL.equals(type)) {
            id = GLOBAL_ID;
        }
    }

    public static Scope global() {
        return new Scope(GLOBAL, GLOBAL_ID);
    }

    /** {@code type:id}; ids may themselves contain ':' (the type never does). */
    public String key() {
        return type + ":" + id;
    }

    /** Parses {@link #key()}; null when there is no ':' in it. */
    public static Scope parse(String key) {
        int colon = key.indexOf(':');
        return colon <= 0 ? null : new Scope(key.substring(0, colon), key.substring(colon + 1));
    }

    public boolean isAgentRun() {
        return AGENT_RUN.equals(type);
    }

    /** Key of this scope's budget for {@code period} in the budget store: {@code type:id:period}. */
    public String budgetKey(Period period) {
        return key() + ":" + period.id();
    }

    /**
     * Parses a budget key {@code type:id:period} (the record key on llm.budgets.v1) into the store's
     * canonical form; null when it is not one.
     */
    public static BudgetRef parseBudgetKey(String key) {
        int first = key.indexOf(':');
        int last = key.lastIndexOf(':');
        if (first <= 0 || last <= first) {
            return null;
        }
        return Period.parse(key.substring(last + 1))
                .map(p -> new BudgetRef(new Scope(key.substring(0, first), key.substring(first + 1, last)), p))
                .orElse(null);
    }

    /** One budget's place: scope and period. */
    public record BudgetRef(Scope scope, Period period) {
        public String key() {
            return scope.budgetKey(period);
        }
    }
}
