package dev.tokenledger.reconcile;

import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.avro.ReconciliationRow;

/** What the reconcile stage publishes: changed rows for llm.reconciliation.v1, month alerts for llm.alerts.reconciliation.v1. */
public sealed interface ReconcileOutput {

    record RowOut(ReconciliationRow row) implements ReconcileOutput {
    }

    record AlertOut(ReconciliationAlert alert) implements ReconcileOutput {
    }
}
