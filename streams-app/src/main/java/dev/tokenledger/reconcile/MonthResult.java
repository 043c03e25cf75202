package dev.tokenledger.reconcile;

import dev.tokenledger.avro.VarianceCause;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A provider's reconciled month: its rows, the totals, and whether the variance is within the month's
 * allowance. Explained dollars per cause plus the unexplained remainder equal the variance exactly.
 */
public record MonthResult(String provider, YearMonth month, List<Row> rows, BigDecimal derived, BigDecimal invoiced,
                          BigDecimal allowance, Map<VarianceCause, BigDecimal> byCause, LocalDate lastDay) {

    static MonthResult of(String provider, YearMonth month, List<Row> rows, Tolerance tolerance) {
        BigDecimal derived = rows.stream().map(Row::derived).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal invoiced = rows.stream().map(Row::invoiced).reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<VarianceCause, BigDecimal> byCause = new EnumMap<>(VarianceCause.class);
        rows.forEach(r -> byCause.merge(r.cause(), r.variance(), BigDecimal::add));
        LocalDate last = rows.stream().map(r -> r.key().day()).max(LocalDate::compareTo).orElse(month.atEndOfMonth());
        return new MonthResult(provider, month, rows, derived, invoiced, tolerance.monthAllowance(invoiced), byCause, last);
    }

    public BigDecimal variance() {
        return invoiced.subtract(derived);
    }

    public boolean withinTolerance() {
        return variance().abs().compareTo(allowance) <= 0;
    }

    /** The variance no cause explains: the sum of the unexplained rows. */
    public BigDecimal unexplained() {
        return byCause.getOrDefault(VarianceCause.unexplained, BigDecimal.ZERO);
    }

    public BigDecimal explained() {
        return variance().subtract(unexplained());
    }

    /**
     * The share of the variance's size the causes explain: 1 - |unexplained rows| / |every row's variance|
     * (sizes, so opposite variances cannot hide each other). 1 when nothing varies.
     */
    public BigDecimal explainedShare() {
        BigDecimal all = rows.stream().map(r -> r.variance().abs()).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (all.signum() == 0) {
            return BigDecimal.ONE;
        }
        BigDecimal open = rows.stream().filter(r -> r.cause() == VarianceCause.unexplained)
                .map(r -> r.variance().abs()).reduce(BigDecimal.ZERO, BigDecimal::add);
        return BigDecimal.ONE.subtract(open.divide(all, java.math.MathContext.DECIMAL64));
    }

    /** One line: the variance and its causes by size ("openai 2026-10: invoiced $.. vs derived $..: +$.. (+1.2%), stale_price +$.., ..."). */
    public String headline() {
        String causes = byCause.entrySet().stream()
                .filter(e -> e.getValue().signum() != 0)
                .sorted((a, b) -> b.getValue().abs().compareTo(a.getValue().abs()))
                .map(e -> e.getKey() + " " + signed(e.getValue()))
                .collect(Collectors.joining(", "));
        String pct = invoiced.signum() == 0 ? "" : " (" + Reconciler.pct(variance().divide(invoiced, java.math.MathContext.DECIMAL64)) + ")";
        return provider + " " + month + ": invoiced " + Reconciler.usd(invoiced) + " vs derived " + Reconciler.usd(derived)
                + ", variance " + signed(variance()) + pct + (withinTolerance() ? ", within tolerance" : ", beyond tolerance ("
                + Reconciler.usd(allowance) + ")") + (causes.isEmpty() ? "" : ": " + causes);
    }

    private static String signed(BigDecimal v) {
        return (v.signum() > 0 ? "+" : "") + Reconciler.usd(v);
    }
}
