package dev.tokenledger.task;

import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.validate.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The value checks of a decoded outcome, the same for Avro and JSON: a non-blank task_id, a known
 * outcome, a value that is not negative, and an event time inside the horizon usage events are
 * accepted in (wall clock minus max-event-age to wall clock plus max-future-skew).
 */
public final class TaskOutcomeValidator {

    /** The outcomes a product may report; {@code unknown} and {@code orphan_outcome} are the stage's own verdicts. */
    public static final Set<String> OUTCOMES = Set.of(TaskLedger.SUCCESS, TaskLedger.FAILURE, TaskLedger.ABANDONED);

    private final long maxEventAgeMs;
    private final long maxFutureSkewMs;

    public TaskOutcomeValidator(Duration maxEventAge, Duration maxFutureSkew) {
        this.maxEventAgeMs = maxEventAge.toMillis();
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    public List<Violation> validate(TaskOutcome o, long nowMs) {
        List<Violation> violations = new ArrayList<>(1);
        if (o.getTaskId() == null || o.getTaskId().isBlank()) {
            violations.add(new Violation(Violation.MISSING_FIELD, "task_id", "task_id must not be blank"));
        }
        if (o.getOutcome() == null || !OUTCOMES.contains(o.getOutcome())) {
            violations.add(new Violation(Violation.INVALID_VALUE, "outcome",
                    "outcome '" + o.getOutcome() + "' is not one of success, failure, abandoned"));
        }
        if (o.getValueUsd() != null && o.getValueUsd().signum() < 0) {
            violations.add(new Violation(Violation.INVALID_VALUE, "value_usd", "value_usd " + o.getValueUsd().toPlainString() + " is negative"));
        }
        long t = o.getTimestamp().toEpochMilli();
        if (t > nowMs + maxFutureSkewMs) {
            violations.add(new Violation(Violation.FUTURE_TIMESTAMP, "timestamp", "timestamp " + o.getTimestamp()
                    + " is more than " + Duration.ofMillis(maxFutureSkewMs) + " after the clock (" + Instant.ofEpochMilli(nowMs) + ")"));
        } else if (t < nowMs - maxEventAgeMs) {
            violations.add(new Violation(Violation.TOO_OLD, "timestamp", "timestamp " + o.getTimestamp() + " is more than "
                    + Duration.ofMillis(maxEventAgeMs) + " before it was processed (" + Instant.ofEpochMilli(nowMs)
                    + "). Replay it after raising tokenledger.validate.max-event-age."));
        }
        return violations;
    }
}
