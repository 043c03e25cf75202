package dev.tokenledger.whatif;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;

/**
 * One actual call of the month, as the warehouse holds it (llm_usage_priced): the usage event rebuilt from the
 * {@code event_*} columns, the feature it was attributed to and the cost the pipeline priced it at.
 */
public record MonthCall(UsageEvent event, String feature, Money actualCost) {

    public boolean tasked() {
        return event.getTaskId() != null;
    }

    public boolean retry() {
        return event.getAttempt() > 1 || event.getRetryOf() != null;
    }
}
