package dev.tokenledger.task;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.TaskOutcome;

/** A valid outcome keyed by its task_id, or the dead letter saying why it is not one. */
public record CheckedOutcome(TaskOutcome outcome, DeadLetter deadLetter) {

    public boolean isValid() {
        return outcome != null;
    }
}
