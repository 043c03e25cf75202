package dev.tokenledger.govern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The govern stage's counters, exported with the pipeline's as {@code tokenledger_govern_*}. */
public final class GovernMetrics {

    private final MeterRegistry registry;

    public GovernMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void alertRaised(AlertKind kind) {
        Counter.builder("tokenledger.govern.alerts").tag("kind", kind.id()).register(registry).increment();
    }

    public void statusEmitted(String state) {
        Counter.builder("tokenledger.govern.status.updates").tag("state", state).register(registry).increment();
    }

    /** A call whose period this scope has already left (its spend is in the rollups, not in this period's status). */
    public void lateForClosedPeriod() {
        Counter.builder("tokenledger.govern.late.closed.period").register(registry).increment();
    }

    /** A call of an agent run's earlier, finished session. */
    public void lateForFinishedSession() {
        Counter.builder("tokenledger.govern.late.finished.session").register(registry).increment();
    }

    /** A budget record on llm.budgets.v1 that cannot be applied (its reason as a tag). */
    public void budgetRejected(String reason) {
        Counter.builder("tokenledger.govern.budgets.rejected").tag("reason", reason).register(registry).increment();
    }
}
