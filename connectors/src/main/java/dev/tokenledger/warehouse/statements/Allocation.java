package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * A month's cost after the rules in force ran, exact at 12 places and at feature grain (so statements at any level
 * are sums of it): every direct cost cell with the rule that pooled it (null: kept by its owner), and per rule what it
 * took from which feature and gave to which target and feature. The month's total is the same before and after.
 *
 * @param version the rules in force, null when none is loaded for the month
 */
public record Allocation(YearMonth month, AllocationVersion version, OwnershipRegistry registry, List<Cell> cells,
                         List<RuleResult> rules) {

    /** A direct cost cell and the rule whose bucket it is in (null when no rule's source matches it). */
    public record Cell(CostCell cell, String pooledBy) {
    }

    /** Cost leaving a feature for a rule's bucket: its own cells, or cost an earlier rule gave it, passed on. */
    public record Given(String feature, BigDecimal amount, boolean passedOn) {
    }

    /** What one target receives: its weight on the rule's basis, its amount, and that amount over its features. */
    public record Share(String target, BigDecimal weight, BigDecimal amount, Map<String, BigDecimal> byFeature) {
    }

    /**
     * @param basis in words: what the weights are (e.g. "direct cost of the month"), and "no basis: even" when every
     *              target's weight was zero and the bucket was spread evenly instead
     */
    public record RuleResult(AllocationRule rule, BigDecimal pool, List<Given> given, List<Share> shares, String basis) {
    }

    public BigDecimal total() {
        return cells.stream().map(c -> c.cell().costUsd()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
