package dev.tokenledger.aggregate;

/**
 * What the rollup stage holds for one (hour, workload, dimensions) between its flushes: the spend
 * not yet folded into the windows and emitted, and the part of it not yet handed to the budget
 * stage (which is told more often). Either may be null.
 */
public record PendingSpend(SpendDelta unemitted, SpendDelta ungoverned) {

    /** Both sums with {@code call} added. */
    public PendingSpend plus(SpendDelta call) {
        return new PendingSpend(unemitted == null ? call : unemitted.plus(call),
                ungoverned == null ? call : ungoverned.plus(call));
    }

    public PendingSpend governed() {
        return new PendingSpend(unemitted, null);
    }
}
