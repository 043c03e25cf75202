package dev.tokenledger.aggregate;

import dev.tokenledger.avro.Rollup;

/** What the rollup stage emits: changed rollups for {@code llm.rollups.v1}, and spend for the budget stage. */
public sealed interface RollupOutput {

    /** A rollup whose window changed, keyed by its rollup key. */
    record Window(Rollup rollup) implements RollupOutput {
    }

    /** The spend of one (dimensions, hour, workload) since the last flush, keyed by the dimension key. */
    record Spend(SpendDelta delta) implements RollupOutput {
    }

    static Rollup rollupOf(RollupOutput out) {
        return ((Window) out).rollup();
    }

    static SpendDelta spendOf(RollupOutput out) {
        return ((Spend) out).delta();
    }
}
