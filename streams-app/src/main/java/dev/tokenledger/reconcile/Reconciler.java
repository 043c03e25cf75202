package dev.tokenledger.reconcile;

import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.avro.VarianceCause;
import dev.tokenledger.reconcile.MonthLedger.Cell;
import dev.tokenledger.reconcile.MonthLedger.CellKey;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reconciles one provider's month: every (day, model, class) cell of derived against invoiced cost gets a
 * cause from a fixed vocabulary, each found by one rule (docs/reconciliation.md#causes). The rules run in a
 * fixed order and each takes only rows no earlier rule explained, so a dollar is explained once:
 * unpriced_model, unmapped_line, alias_rerouting, cache_misclassification, tier_mismatch, region_surcharge,
 * stale_price, missing_events, within_tolerance; what is left is unexplained, and shown.
 *
 * <p>Ratios and token estimates are detection only (a {@link MathContext#DECIMAL64} division); every dollar
 * in a row is an exact sum of the inputs.
 */
public final class Reconciler {

    static final Set<ChargeClass> TOKEN_CLASSES = EnumSet.of(ChargeClass.uncached_input, ChargeClass.cache_read,
            ChargeClass.cache_write, ChargeClass.output, ChargeClass.reasoning);
    /** How far one day's invoiced/derived ratio may stray from the others' and still be "the same price". */
    static final BigDecimal SAME_RATIO = new BigDecimal("0.005");
    /** How far two token estimates may differ and still be "the same tokens, moved between classes". */
    static final BigDecimal SAME_TOKENS = new BigDecimal("0.05");
    /** How close a tier's price effect must come to the variance to explain it. */
    static final BigDecimal SAME_EFFECT = new BigDecimal("0.02");
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final Tolerance tolerance;

    public Reconciler(Tolerance tolerance) {
        this.tolerance = tolerance;
    }

    /** A row being classified. */
    private static final class Draft {
        final CellKey key;
        final Cell cell;
        final BigDecimal variance;
        VarianceCause cause;
        String evidence;

        Draft(CellKey key, Cell cell) {
            this.key = key;
            this.cell = cell;
            this.variance = cell.invoiced.subtract(cell.derived);
        }

        boolean open() {
            return cause == null;
        }

        void explain(VarianceCause c, String why) {
            cause = c;
            evidence = why;
        }
    }

    public MonthResult reconcile(MonthLedger ledger, BookRates rates) {
        List<Draft> drafts = new ArrayList<>();
        ledger.cells().forEach((k, c) -> drafts.add(new Draft(k, c)));
        String provider = ledger.provider();

        unpriced(drafts, ledger, provider);
        unmapped(drafts, provider);
        alias(drafts, ledger, rates);
        cacheMisclassification(drafts, rates);
        tierMismatch(drafts, rates);
        regionSurcharge(drafts, rates);
        stalePrice(drafts, rates);
        missingEvents(drafts, ledger);
        for (Draft d : drafts) {
            if (d.open() && within(d)) {
                d.explain(VarianceCause.within_tolerance, "within tolerance: " + usd(d.variance) + " is at most "
                        + usd(tolerance.lineUsd()) + " or " + pct(tolerance.relative()) + " of " + usd(d.cell.invoiced));
            } else if (d.open()) {
                d.explain(VarianceCause.unexplained, "no rule explains it: derived " + usd(d.cell.derived)
                        + ", invoiced " + usd(d.cell.invoiced));
            }
        }

        List<Row> rows = drafts.stream().map(d -> new Row(d.key, d.cell.derived, d.cell.invoiced, d.cell.tokens,
                        ledger.calls(d.key.model(), d.key.day()).requests(), d.cell.lines,
                        new TreeSet<>(d.cell.billedNames), within(d), d.cause, d.evidence))
                .toList();
        return MonthResult.of(ledger.provider(), ledger.month(), rows, tolerance);
    }

    private boolean within(Draft d) {
        return tolerance.rowWithin(d.variance, d.cell.invoiced);
    }

    // unpriced_model: the book had no price for calls the invoice bills.
    private void unpriced(List<Draft> drafts, MonthLedger ledger, String provider) {
        for (Draft d : drafts) {
            MonthLedger.Calls calls = ledger.calls(d.key.model(), d.key.day());
            if (d.open() && calls.unpriced() > 0 && d.variance.signum() > 0) {
                d.explain(VarianceCause.unpriced_model, calls.unpriced() + " of " + calls.requests() + " calls of "
                        + d.key.model() + " on " + d.key.day() + " had no price in the book, so they count $0; the invoice bills "
                        + usd(d.cell.invoiced) + ": add " + provider + "/" + d.key.model() + " to the price book");
            }
        }
    }

    // unmapped_line: invoice lines no book model takes, and lines that are not usage at all.
    private void unmapped(List<Draft> drafts, String provider) {
        for (Draft d : drafts) {
            if (!d.open() || !d.cell.unmapped) {
                continue;
            }
            String names = String.join(", ", d.cell.billedNames);
            if (d.key.chargeClass() == ChargeClass.other) {
                d.explain(VarianceCause.unmapped_line, "not token usage (a credit, tax, adjustment or other charge): "
                        + names + ", " + usd(d.cell.invoiced));
            } else {
                d.explain(VarianceCause.unmapped_line, "the invoice's '" + names + "' (" + usd(d.cell.invoiced)
                        + ") maps to no price-book model: add '" + provider + "," + d.cell.billedNames.first()
                        + ",<book model>' to the model override file (load invoice --model-overrides)");
            }
        }
    }

    // alias_rerouting: a model billed that the gateway never logged, against a logged model billed short.
    private void alias(List<Draft> drafts, MonthLedger ledger, BookRates rates) {
        Map<String, List<Draft>> byModel = byModel(drafts);
        for (var billed : byModel.entrySet()) {
            String a = billed.getKey();
            List<Draft> aRows = billed.getValue().stream().filter(Draft::open).toList();
            BigDecimal aInvoiced = sum(aRows, d -> d.cell.invoiced);
            if (a.equals(MonthLedger.NO_MODEL) || aRows.isEmpty() || aInvoiced.signum() <= 0
                    || ledger.requestsInMonth(a) > 0 || sum(aRows, d -> d.cell.derived).signum() != 0) {
                continue;
            }
            Set<LocalDate> days = aRows.stream().filter(d -> d.cell.invoiced.signum() > 0).map(d -> d.key.day())
                    .collect(Collectors.toSet());
            String best = null;
            BigDecimal bestShort = BigDecimal.ZERO;
            for (var logged : byModel.entrySet()) {
                String b = logged.getKey();
                if (b.equals(a) || b.equals(MonthLedger.NO_MODEL) || ledger.requestsInMonth(b) == 0) {
                    continue;
                }
                BigDecimal shortBy = sum(logged.getValue().stream()
                        .filter(d -> d.open() && days.contains(d.key.day()) && d.variance.signum() < 0).toList(), d -> d.variance);
                if (shortBy.compareTo(tolerance.lineUsd().negate()) < 0 && shortBy.compareTo(bestShort) < 0) {
                    best = b;
                    bestShort = shortBy;
                }
            }
            if (best == null) {
                continue;
            }
            String b = best;
            LocalDate first = days.stream().min(Comparator.naturalOrder()).orElseThrow();
            String prices = priceNote(rates, a, b, first);
            for (Draft d : aRows) {
                d.explain(VarianceCause.alias_rerouting, "billed as " + a + " (" + usd(aInvoiced) + " this month), which the gateway never logged; "
                        + b + ", which it did log, is " + usd(bestShort.negate()) + " short on the same days: the provider served "
                        + b + " calls as " + a + prices + ". Log the model the provider bills, or price " + a + " for " + b);
            }
            for (Draft d : byModel.get(b)) {
                if (d.open() && days.contains(d.key.day()) && d.variance.signum() < 0) {
                    d.explain(VarianceCause.alias_rerouting, "billed as " + a + " instead (see the " + a + " rows): "
                            + usd(bestShort.negate()) + " of " + b + " on " + days.size() + " day(s)" + prices);
                }
            }
        }
    }

    private static String priceNote(BookRates rates, String a, String b, LocalDate day) {
        BigDecimal ra = rates.rate(a, ChargeClass.uncached_input, day);
        BigDecimal rb = rates.rate(b, ChargeClass.uncached_input, day);
        if (ra == null || rb == null) {
            return "";
        }
        return " (book input prices: " + a + " " + perMillion(ra) + ", " + b + " " + perMillion(rb) + ")";
    }

    // cache_misclassification: cache reads billed as uncached input (or back), the tokens agreeing.
    private void cacheMisclassification(List<Draft> drafts, BookRates rates) {
        Map<String, Draft> index = index(drafts);
        for (Draft u : drafts) {
            if (!u.open() || u.key.chargeClass() != ChargeClass.uncached_input || within(u)) {
                continue;
            }
            Draft c = index.get(key(u.key.day(), u.key.model(), ChargeClass.cache_read));
            // The cache-read side may be within tolerance on its own: cache reads cost a tenth of input or less.
            if (c == null || !c.open() || u.variance.signum() * c.variance.signum() >= 0) {
                continue;
            }
            BigDecimal pu = rates.rate(u.key.model(), ChargeClass.uncached_input, u.key.day());
            BigDecimal pc = rates.rate(u.key.model(), ChargeClass.cache_read, u.key.day());
            if (pu == null || pc == null || pu.signum() <= 0 || pc.signum() <= 0) {
                continue;
            }
            BigDecimal tu = u.variance.divide(pu, MC);
            BigDecimal tc = c.variance.divide(pc, MC);
            if (tu.add(tc).abs().compareTo(SAME_TOKENS.multiply(tu.abs().max(tc.abs()))) > 0) {
                continue;
            }
            String moved = tu.abs().setScale(0, RoundingMode.HALF_EVEN).toPlainString();
            String direction = tu.signum() > 0 ? "cache-read tokens as uncached input" : "uncached input tokens as cache reads";
            String why = "on " + u.key.day() + " the invoice bills about " + moved + " of " + u.key.model() + "'s " + direction
                    + " (uncached input " + usd(u.variance) + ", cache read " + usd(c.variance) + " at the book's "
                    + perMillion(pu) + " and " + perMillion(pc) + "; the tokens agree): ask the provider to correct the cache classification";
            u.explain(VarianceCause.cache_misclassification, why);
            c.explain(VarianceCause.cache_misclassification, why);
        }
    }

    // tier_mismatch: the invoice bills a tier (batch, flex, priority) the events did not claim.
    private void tierMismatch(List<Draft> drafts, BookRates rates) {
        for (Draft d : drafts) {
            if (!d.open() || within(d) || !TOKEN_CLASSES.contains(d.key.chargeClass())) {
                continue;
            }
            BigDecimal standard = rates.rate(d.key.model(), d.key.chargeClass(), d.key.day());
            if (standard == null || standard.signum() <= 0) {
                continue;
            }
            BigDecimal effect = BigDecimal.ZERO;
            List<String> tiers = new ArrayList<>();
            for (var t : d.cell.invoicedByTier.entrySet()) {
                String tier = t.getKey();
                BigDecimal rate = "standard".equals(tier) ? null : rates.tierRate(d.key.model(), d.key.chargeClass(), tier, d.key.day());
                if (rate == null || rate.signum() <= 0 || rate.compareTo(standard) == 0) {
                    continue;
                }
                // Billed at rate what the events priced at standard: invoiced = derived * rate / standard.
                effect = effect.add(t.getValue().subtract(t.getValue().multiply(standard).divide(rate, MC)));
                tiers.add(usd(t.getValue()) + " at " + tier + " (" + perMillion(rate) + ")");
            }
            BigDecimal slack = tolerance.lineUsd().max(SAME_EFFECT.multiply(d.variance.abs()));
            if (!tiers.isEmpty() && effect.signum() != 0 && d.variance.subtract(effect).abs().compareTo(slack) <= 0) {
                d.explain(VarianceCause.tier_mismatch, "the invoice bills " + d.key.model() + " " + d.key.chargeClass() + " "
                        + String.join(", ", tiers) + " where the events say standard (" + perMillion(standard)
                        + "): set service_tier and batch on the gateway's events as the provider served them");
            }
        }
    }

    // region_surcharge: a model billed at the book's regional price on every class, the events without a region.
    private void regionSurcharge(List<Draft> drafts, BookRates rates) {
        for (var model : byModel(drafts).entrySet()) {
            List<Draft> rows = model.getValue().stream()
                    .filter(d -> d.open() && TOKEN_CLASSES.contains(d.key.chargeClass()) && d.cell.derived.signum() > 0
                            && d.cell.invoiced.signum() > 0 && !within(d))
                    .toList();
            if (rows.size() < 2) {
                continue;
            }
            String region = null;
            boolean all = true;
            for (Draft d : rows) {
                Optional<BookRates.Regional> r = rates.regional(d.key.model(), d.key.chargeClass(), d.key.day());
                if (r.isEmpty() || (region != null && !region.equals(r.get().region()))
                        || !sameRatio(ratio(d), r.get().ratio())) {
                    all = false;
                    break;
                }
                region = r.get().region();
            }
            if (all) {
                BigDecimal ratio = rates.regional(rows.get(0).key.model(), rows.get(0).key.chargeClass(), rows.get(0).key.day())
                        .orElseThrow().ratio();
                for (Draft d : rows) {
                    d.explain(VarianceCause.region_surcharge, model.getKey() + " is billed at the book's '" + region
                            + "' regional price on every class (" + pct(ratio.subtract(BigDecimal.ONE)) + " over the global price the events were priced at): "
                            + "the events carry no region; set region on the gateway's events");
                }
            }
        }
    }

    // stale_price: from a day on, the invoice implies one steady unit price the book does not have.
    private void stalePrice(List<Draft> drafts, BookRates rates) {
        Map<String, List<Draft>> series = new TreeMap<>();
        for (Draft d : drafts) {
            if (d.open() && TOKEN_CLASSES.contains(d.key.chargeClass()) && !d.key.model().equals(MonthLedger.NO_MODEL)
                    && d.cell.derived.signum() > 0 && d.cell.invoiced.signum() > 0) {
                series.computeIfAbsent(d.key.model() + "\n" + d.key.chargeClass(), k -> new ArrayList<>()).add(d);
            }
        }
        for (List<Draft> days : series.values()) {
            // A change needs two days to show it holds, unless the month has only the one day of usage.
            int lastFrom = days.size() == 1 ? 0 : days.size() - 2;
            for (int from = 0; from <= lastFrom; from++) {
                List<Draft> tail = days.subList(from, days.size());
                BigDecimal m = median(tail.stream().map(Reconciler::ratio).toList());
                boolean steady = tail.stream().allMatch(d -> sameRatio(ratio(d), m));
                BigDecimal drift = m.subtract(BigDecimal.ONE).abs();
                if (!steady || drift.compareTo(tolerance.relative()) <= 0
                        || tolerance.rowWithin(sum(tail, d -> d.variance), sum(tail, d -> d.cell.invoiced))) {
                    continue;
                }
                if (tail.size() == 1 && !othersAgree(drafts, tail.get(0))) {
                    // One day alone cannot show a price held; with every class off it is lost events, not a price.
                    continue;
                }
                Draft first = tail.get(0);
                String model = first.key.model();
                ChargeClass cls = first.key.chargeClass();
                BigDecimal book = rates.rate(model, cls, first.key.day());
                String prices = book == null
                        ? "the invoice bills " + pct(m.subtract(BigDecimal.ONE)) + " over what the events were priced at"
                        : "the invoice implies " + perMillion(book.multiply(m, MC)) + " where the book has " + perMillion(book)
                        + " (" + rates.describe(model, first.key.day()) + ")";
                String why = "from " + first.key.day() + " " + prices + " for " + model + " " + cls
                        + ": add the " + first.key.day() + " price of " + model + " " + cls + " to the book";
                tail.forEach(d -> d.explain(VarianceCause.stale_price, why));
                break;
            }
        }
    }

    /** Whether another token class of the row's model agrees on the row's day: the change is the class's own. */
    private boolean othersAgree(List<Draft> drafts, Draft row) {
        return drafts.stream().anyMatch(d -> d != row && d.key.day().equals(row.key.day()) && d.key.model().equals(row.key.model())
                && TOKEN_CLASSES.contains(d.key.chargeClass()) && d.cell.invoiced.signum() > 0 && within(d));
    }

    // missing_events: a model-day short in every class it is billed for, as lost events make it.
    private void missingEvents(List<Draft> drafts, MonthLedger ledger) {
        Map<String, List<Draft>> modelDays = new LinkedHashMap<>();
        for (Draft d : drafts) {
            if (d.open() && TOKEN_CLASSES.contains(d.key.chargeClass()) && !d.key.model().equals(MonthLedger.NO_MODEL)) {
                modelDays.computeIfAbsent(d.key.day() + "\n" + d.key.model(), k -> new ArrayList<>()).add(d);
            }
        }
        for (List<Draft> rows : modelDays.values()) {
            List<Draft> billed = rows.stream().filter(d -> d.cell.invoiced.signum() > 0).toList();
            BigDecimal derived = sum(rows, d -> d.cell.derived);
            BigDecimal invoiced = sum(rows, d -> d.cell.invoiced);
            if (billed.isEmpty() || !billed.stream().allMatch(d -> d.variance.signum() > 0 && !within(d))
                    || rows.stream().anyMatch(d -> d.variance.signum() < 0 && !within(d))
                    || tolerance.rowWithin(invoiced.subtract(derived), invoiced)) {
                continue;
            }
            Draft first = rows.get(0);
            long calls = ledger.calls(first.key.model(), first.key.day()).requests();
            String why = "on " + first.key.day() + " the events of " + first.key.model() + " are short in every class it is billed for: "
                    + usd(derived) + " derived of " + usd(invoiced) + " invoiced (" + pct(ratioOf(derived, invoiced)) + "), "
                    + calls + " calls logged: events are missing (a gateway or ingestion gap); replay that day's events";
            rows.stream().filter(d -> d.variance.signum() > 0).forEach(d -> d.explain(VarianceCause.missing_events, why));
            // The calls that never arrived also made the tool calls the provider-wide fee line bills.
            for (Draft fees : drafts) {
                if (fees.open() && fees.key.day().equals(first.key.day()) && fees.key.model().equals(MonthLedger.NO_MODEL)
                        && fees.key.chargeClass() == ChargeClass.fees && fees.variance.signum() > 0) {
                    fees.explain(VarianceCause.missing_events, "on " + first.key.day() + " events of " + first.key.model()
                            + " are missing (see its rows); the tool calls they made are billed here but were never logged");
                }
            }
        }
    }

    // ---- helpers

    private static Map<String, List<Draft>> byModel(List<Draft> drafts) {
        Map<String, List<Draft>> out = new TreeMap<>();
        drafts.forEach(d -> out.computeIfAbsent(d.key.model(), k -> new ArrayList<>()).add(d));
        return out;
    }

    private static Map<String, Draft> index(List<Draft> drafts) {
        Map<String, Draft> out = new HashMap<>();
        drafts.forEach(d -> out.put(key(d.key.day(), d.key.model(), d.key.chargeClass()), d));
        return out;
    }

    private static String key(LocalDate day, String model, ChargeClass cls) {
        return day + "\n" + model + "\n" + cls;
    }

    private static BigDecimal sum(List<Draft> rows, Function<Draft, BigDecimal> f) {
        return rows.stream().map(f).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static BigDecimal ratio(Draft d) {
        return d.cell.invoiced.divide(d.cell.derived, MC);
    }

    private static BigDecimal ratioOf(BigDecimal a, BigDecimal b) {
        return b.signum() == 0 ? BigDecimal.ZERO : a.divide(b, MC);
    }

    private static boolean sameRatio(BigDecimal q, BigDecimal m) {
        return q.subtract(m).abs().compareTo(SAME_RATIO.multiply(m.abs())) <= 0;
    }

    private static BigDecimal median(List<BigDecimal> values) {
        List<BigDecimal> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).add(sorted.get(n / 2)).divide(BigDecimal.valueOf(2), MC);
    }

    /** Dollars for people: two places, sign kept ({@code -$12.30}); sub-cent amounts keep their digits. */
    static String usd(BigDecimal v) {
        BigDecimal abs = v.abs();
        BigDecimal shown = abs.compareTo(new BigDecimal("0.01")) < 0 && abs.signum() != 0
                ? abs.round(new MathContext(2)).stripTrailingZeros() : abs.setScale(2, RoundingMode.HALF_EVEN);
        return (v.signum() < 0 ? "-$" : "$") + shown.toPlainString();
    }

    static String perMillion(BigDecimal perToken) {
        return "$" + perToken.multiply(MILLION).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() + "/1M";
    }

    static String pct(BigDecimal fraction) {
        return fraction.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
}
