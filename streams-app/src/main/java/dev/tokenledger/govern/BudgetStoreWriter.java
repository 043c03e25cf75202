package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors llm.budgets.v1 into the global budget store under the canonical key of its scope
 * ({@link Scope#budgetKey}): every global budget lands on {@code global:*:period} whatever id it
 * names. A budget that cannot be applied (unknown scope type or period, negative amount, bad
 * thresholds or action) is counted and logged, and the budget in force stays as it was.
 */
public final class BudgetStoreWriter implements Processor<String, Budget, Void, Void> {

    public static final String STORE = "govern-budget-store";

    private static final Logger LOG = LoggerFactory.getLogger(BudgetStoreWriter.class);

    private final GovernMetrics metrics;
    private KeyValueStore<String, Budget> store;

    public BudgetStoreWriter(GovernMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, Budget> record) {
        if (record.value() == null) {
            Scope.BudgetRef ref = record.key() == null ? null : Scope.parseBudgetKey(record.key());
            if (ref != null) {
                store.delete(ref.key());
            }
            return;
        }
        Budget budget = record.value();
        Optional<String> problem = problem(budget);
        if (problem.isPresent()) {
            metrics.budgetRejected(problem.get());
            LOG.warn("budget {} not applied: {}", record.key(), problem.get());
            return;
        }
        Period period = Period.parse(budget.getPeriod()).orElseThrow();
        store.put(new Scope(budget.getScopeType(), budget.getScopeId()).budgetKey(period), budget);
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
