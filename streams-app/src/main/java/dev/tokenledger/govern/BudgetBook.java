package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The budgets in force, by the canonical key of their scope ({@link Scope#budgetKey}): what the
 * hot path reads, a hash lookup instead of deserializing a store value per record and scope. Every
 * global budget is found under {@code global:*:period} whatever id it names.
 *
 * <p>Kept in step with the global budget store (which holds llm.budgets.v1 as it is, by record key)
 * by {@link BudgetStoreWriter}; shared by the application instance's stream threads. A budget that
 * cannot be applied is not: the one in force before stays so.
 */
public final class BudgetBook {

    private record Entry(String recordKey, Budget budget) {
    }

    private final Map<String, Entry> byScope = new ConcurrentHashMap<>();
    private final Map<String, String> scopeByRecordKey = new ConcurrentHashMap<>();

    /** A book of everything in a budget store (for queries from outside the stream threads). */
    public static BudgetBook of(KeyValueIterator<String, Budget> all) {
        BudgetBook book = new BudgetBook();
        try (all) {
            all.forEachRemaining(kv -> book.apply(kv.key, kv.value));
        }
        return book;
    }

    /**
     * Applies one record of llm.budgets.v1 (a null budget is a tombstone).
     *
     * @return why the budget cannot be applied, as a machine-readable reason; empty when applied
     */
    public Optional<String> apply(String recordKey, Budget budget) {
        if (budget == null) {
            String scopeKey = recordKey == null ? null : scopeByRecordKey.remove(recordKey);
            if (scopeKey != null) {
                byScope.computeIfPresent(scopeKey, (k, e) -> e.recordKey().equals(recordKey) ? null : e);
            }
            return Optional.empty();
        }
        Optional<String> problem = problem(budget);
        if (problem.isPresent()) {
            return problem;
        }
        String scopeKey = new Scope(budget.getScopeType(), budget.getScopeId())
                .budgetKey(Period.parse(budget.getPeriod()).orElseThrow());
        String key = recordKey == null ? scopeKey : recordKey;
        String previousScope = scopeByRecordKey.put(key, scopeKey);
        if (previousScope != null && !previousScope.equals(scopeKey)) {
            byScope.computeIfPresent(previousScope, (k, e) -> e.recordKey().equals(key) ? null : e);
        }
        byScope.put(scopeKey, new Entry(key, budget));
        return Optional.empty();
    }

    public void clear() {
        byScope.clear();
        scopeByRecordKey.clear();
    }

    /** The budget for a canonical scope key such as {@code team:search:monthly}, or null. */
    public Budget get(String scopeBudgetKey) {
        Entry e = byScope.get(scopeBudgetKey);
        return e == null ? null : e.budget();
    }

    /** Every budget in force by canonical key, as of now. */
    public Map<String, Budget> snapshot() {
        Map<String, Budget> copy = new java.util.HashMap<>(byScope.size() * 2);
        byScope.forEach((k, e) -> copy.put(k, e.budget()));
        return copy;
    }

    /** Why a budget cannot be applied, as a machine-readable reason; empty when it can. */
    public static Optional<String> problem(Budget b) {
        if (!Scope.BUDGET_TYPES.contains(b.getScopeType())) {
            return Optional.of("unknown_scope_type");
        }
        if (b.getScopeId() == null || b.getScopeId().isBlank()) {
            return Optional.of("missing_scope_id");
        }
        if (Period.parse(b.getPeriod()).isEmpty()) {
            return Optional.of("unknown_period");
        }
        if (b.getAmountUsd() == null || b.getAmountUsd().signum() < 0 || b.getAmountUsd().scale() > 12) {
            return Optional.of("invalid_amount");
        }
        if (b.getSoftPct() <= 0 || b.getHardPct() <= 0) {
            return Optional.of("invalid_threshold");
        }
        String action = b.getAction();
        boolean knownAction = "alert".equals(action) || "queue".equals(action) || "block".equals(action)
                || (action != null && action.startsWith("downgrade:") && action.length() > "downgrade:".length());
        return knownAction ? Optional.empty() : Optional.of("unknown_action");
    }
}
