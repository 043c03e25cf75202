package dev.tokenledger.task;

import dev.tokenledger.avro.TaskCall;
import dev.tokenledger.avro.TaskOutcome;

/** What reaches the task ledger, keyed by task_id: a call of the task or its outcome (never serialised). */
public sealed interface TaskInput {

    record Call(TaskCall call) implements TaskInput {
    }

    record Outcome(TaskOutcome outcome) implements TaskInput {
    }
}
