package dev.tokenledger.aggregate;

import dev.tokenledger.avro.Rollup;

/**
 * What the rollup stage emits: changed rollups for {@code llm.rollups.v1}, spend for the budget stage, and
 * the spend per (provider, day, model) for the reconcile stage.
 */
public sealed interface RollupOutput {

    /** A rollup whose window changed, keyed by its rollup key. */
    record Window(Rollup rollup) implements RollupOutput {
    }

    /** The spend of one (dimensions, hour, workload) since the last flush, keyed by the dimension key. */
    record Spend(SpendDelta delta) implements RollupOutput {
    }

    /**
     * The spend of one (provider, UTC day, billed model) folded since the last emission, summed over every
     * other dimension, keyed by {@link RollupKeys#modelDayKey}: additive, so its reader adds them up.
     */
    record ModelDay(SpendDelta delta) implements RollupOutput {
    }

    static SpendDelta modelDayOf(RollupOutput out) {
        return ((ModelDay) out).delta();
    }

    static Rollup rollupOf(RollupOutput out) {
        return ((Window) out).rollup();
    }

    static SpendDelta spendOf(RollupOutput out) {
        return ((Spend) out).delta();
    }
}
