package dev.tokenledger.govern;

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;

/**
 * What the budget processor forwards: an alert or a status (a null status is a tombstone, the
 * budget was removed). Never serialized: the topology splits it onto the two output topics.
 */
public sealed interface GovernOutput {

    record Alert(BudgetAlert alert) implements GovernOutput {
    }

    record Status(BudgetStatus status) implements GovernOutput {
    }

    static BudgetAlert alertOf(GovernOutput out) {
        return ((Alert) out).alert();
    }

    static BudgetStatus statusOf(GovernOutput out) {
        return ((Status) out).status();
    }
}
