package dev.tokenledger.validate;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.UsageEvent;

/** What the validate stage hands on: a valid event, or the dead letter explaining why not. */
public record Validated(UsageEvent event, DeadLetter deadLetter, boolean keyedByRequestId) {

    /**
     * @param keyedByRequestId the input record's key was already the request_id, so it sits on the
     *        partition dedupe expects and needs no repartition
     */
    public static Validated valid(UsageEvent event, boolean keyedByRequestId) {
        return new Validated(event, null, keyedByRequestId);
    }

    public static Validated rejected(DeadLetter deadLetter) {
        return new Validated(null, deadLetter, false);
    }

    public boolean isValid() {
        return event != null;
    }
}
