package dev.tokenledger.reconcile;

import dev.tokenledger.avro.VarianceCause;
import java.math.BigDecimal;
import java.util.SortedSet;

/**
 * One reconciled cell: both sides, the variance, and the cause the rules gave it. {@code explained} is the
 * whole variance when a cause explains the row and zero when it is {@code unexplained}, so a month's
 * explained and unexplained dollars add up to its variance exactly.
 */
public record Row(MonthLedger.CellKey key, BigDecimal derived, BigDecimal invoiced, long tokens, long requests, int lines,
                  SortedSet<String> billedNames, boolean withinTolerance, VarianceCause cause, String evidence) {

    public BigDecimal variance() {
        return invoiced.subtract(derived);
    }

    public BigDecimal explained() {
        return cause == VarianceCause.unexplained ? BigDecimal.ZERO.setScale(variance().scale()) : variance();
    }
}
