package dev.tokenledger.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/** The task stage's counters, exported with the pipeline's as {@code tokenledger_task_*}. */
public final class TaskMetrics {

    private final MeterRegistry registry;

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A call or outcome folded into its task, as of its arrival: counted, a duplicate outcome absorbed, or late (beyond the window in event time). */
    public void counted(String input, TaskLedger.Effect effect) {
        Counter.builder("tokenledger.task.inputs").tag("input", input).tag("effect", effect.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    /** A task became final with this verdict (success, failure, abandoned, unknown, orphan_outcome). */
    public void finalized(String outcome) {
        Counter.builder("tokenledger.task.finalized").tag("outcome", outcome).register(registry).increment();
    }
}
