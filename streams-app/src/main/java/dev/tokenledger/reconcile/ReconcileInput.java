package dev.tokenledger.reconcile;

import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.avro.InvoiceLine;

/** What the reconcile stage reads, on one repartition: derived spend of a (provider, day, model), or an invoice line. */
public sealed interface ReconcileInput {

    /** Spend of a (provider, day, model) since the rollup stage's last emission, keyed by its model-day key. */
    record Derived(SpendDelta spend) implements ReconcileInput {
    }

    /** An invoice line (the latest version of its line_id), keyed by its line_id. */
    record Invoice(InvoiceLine line) implements ReconcileInput {
    }
}
