package dev.tokenledger.reconcile;

import java.math.BigDecimal;

/**
 * How much variance is noise. A row (one day, model and class) is within tolerance when its variance is at
 * most {@code lineUsd} or at most {@code relative} of what was invoiced; a provider's month when its
 * variance is at most the larger of {@code monthUsd} and {@code relative} of its invoiced total.
 */
public record Tolerance(BigDecimal lineUsd, BigDecimal monthUsd, BigDecimal relative) {

    /** The documented defaults: a cent per row, a dollar per month, 0.5%. */
    public static final Tolerance DEFAULT = new Tolerance(new BigDecimal("0.01"), new BigDecimal("1.00"), new BigDecimal("0.005"));

    boolean rowWithin(BigDecimal variance, BigDecimal invoiced) {
        BigDecimal v = variance.abs();
        return v.compareTo(lineUsd) <= 0 || v.compareTo(relative.multiply(invoiced.abs())) <= 0;
    }

    BigDecimal monthAllowance(BigDecimal invoiced) {
        return monthUsd.max(relative.multiply(invoiced.abs()));
    }
}
