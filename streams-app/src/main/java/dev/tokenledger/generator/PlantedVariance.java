package dev.tokenledger.generator;

import dev.tokenledger.generator.PlantedCause.AliasRerouting;
import dev.tokenledger.generator.PlantedCause.CacheMisclassification;
import dev.tokenledger.generator.PlantedCause.MissingEvents;
import dev.tokenledger.generator.PlantedCause.StalePrice;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One planted cause as the manifest records it: where it lands and what it adds to the variance (invoiced - derived)
 * of the month, per (day, price-book model, charge class) cell as the invoice readers read the lines.
 *
 * <p>{@code varianceUsd} is exact: for a cause that changes the invoice, the change in the invoice's rounded lines
 * (each line's amount with the cause minus without it, both as written), so the invoice total is the derived cost
 * rounded per line plus every cause's variance, to the last digit; for {@code missing_events}, which leaves the
 * invoice alone, the derived cost of the withheld calls. {@code exactVarianceUsd} is the same before line rounding.
 *
 * @param models  the price-book models of the cells (a reroute's logged and billed models both)
 * @param details the cause's own parameters and evidence (dates, rates, shares, counts), as plain strings
 */
public record PlantedVariance(String cause, String provider, List<String> models, List<String> chargeClasses,
                              List<LocalDate> days, BigDecimal varianceUsd, BigDecimal exactVarianceUsd,
                              String description, Map<String, String> details, List<Cell> cells) {

    /** What the cause adds to one cell; {@code model} null for a fee line, which names none. */
    public record Cell(LocalDate day, String model, String chargeClass, BigDecimal varianceUsd, BigDecimal exactVarianceUsd) {
    }

    private record CellKey(LocalDate day, String model, String chargeClass) {
        static final Comparator<CellKey> ORDER = Comparator.comparing(CellKey::day)
                .thenComparing(CellKey::model, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(CellKey::chargeClass);
    }

    private static final class Amounts {
        Money rounded = Money.ZERO;
        Money exact = Money.ZERO;
    }

    /** The manifest of a plan, from the month's lines (every stage) and the withheld calls' lines. */
    static List<PlantedVariance> of(InvoicePlan plan, List<BilledLine> lines, List<BilledLine> withheld,
                                    Collection<InvoiceSynthesizer.StaleRates> staleRates, long misclassifiedTokens,
                                    long withheldCalls) {
        List<PlantedVariance> out = new ArrayList<>();
        for (PlantedCause cause : plan.causes()) {
            Map<CellKey, Amounts> cells = new TreeMap<>(CellKey.ORDER);
            if (cause instanceof MissingEvents) {
                for (BilledLine line : withheld) {
                    add(cells, line, line.cost[InvoiceSynthesizer.BASELINE], line.cost[InvoiceSynthesizer.BASELINE]);
                }
            } else {
                int stage = InvoiceSynthesizer.STAGE_CAUSES.indexOf(cause.cause()) + 1;
                for (BilledLine line : lines) {
                    int scale = InvoiceShape.of(line.key.provider()).scale;
                    Money rounded = Money.of(line.rounded(stage, scale)).minus(Money.of(line.rounded(stage - 1, scale)));
                    add(cells, line, rounded, line.cost[stage].minus(line.cost[stage - 1]));
                }
            }
            out.add(entry(cause, cells, staleRates, misclassifiedTokens, withheldCalls));
        }
        return out;
    }

    private static void add(Map<CellKey, Amounts> cells, BilledLine line, Money rounded, Money exact) {
        if (rounded.isZero() && exact.isZero()) {
            return;
        }
        Amounts a = cells.computeIfAbsent(new CellKey(line.key.day(), line.key.bookModel(),
                line.key.billedClass().chargeClass.name()), k -> new Amounts());
        a.rounded = a.rounded.plus(rounded);
        a.exact = a.exact.plus(exact);
    }

    private static PlantedVariance entry(PlantedCause cause, Map<CellKey, Amounts> cells,
                                         Collection<InvoiceSynthesizer.StaleRates> staleRates, long misclassifiedTokens,
                                         long withheldCalls) {
        List<Cell> list = new ArrayList<>();
        Money rounded = Money.ZERO;
        Money exact = Money.ZERO;
        TreeSet<String> models = new TreeSet<>();
        TreeSet<String> classes = new TreeSet<>();
        TreeSet<LocalDate> days = new TreeSet<>();
        for (Map.Entry<CellKey, Amounts> e : cells.entrySet()) {
            CellKey k = e.getKey();
            list.add(new Cell(k.day(), k.model(), k.chargeClass(), e.getValue().rounded.toBigDecimal(),
                    e.getValue().exact.toBigDecimal()));
            rounded = rounded.plus(e.getValue().rounded);
            exact = exact.plus(e.getValue().exact);
            if (k.model() != null) {
                models.add(k.model());
            }
            classes.add(k.chargeClass());
            days.add(k.day());
        }
        Map<String, String> details = new LinkedHashMap<>();
        String description;
        if (cause instanceof StalePrice s) {
            details.put("from", s.from().toString());
            details.put("increase", s.increase().toPlainString());
            String rates = "";
            for (InvoiceSynthesizer.StaleRates r : staleRates) {
                details.put("book_model", r.bookModel());
                if (r.bookRate() != null) {
                    details.put("book_input_usd_per_token", r.bookRate().stripTrailingZeros().toPlainString());
                    details.put("billed_input_usd_per_token", r.billedRate().stripTrailingZeros().toPlainString());
                    rates = " (" + details.get("book_input_usd_per_token") + " -> "
                            + details.get("billed_input_usd_per_token") + " USD per token)";
                }
            }
            description = "From " + s.from() + " " + s.provider() + " bills " + s.model() + " uncached input "
                    + percent(s.increase()) + " over the book" + rates + ": a price change missing from the book";
        } else if (cause instanceof MissingEvents m) {
            details.put("from", m.from().toString());
            details.put("until", m.until().toString());
            details.put("calls_withheld", Long.toString(withheldCalls));
            description = withheldCalls + " calls of " + m.model() + " from " + m.from() + " to " + m.until()
                    + " are billed but withheld from the event output: an ingestion gap";
        } else if (cause instanceof CacheMisclassification c) {
            details.put("from", c.from().toString());
            details.put("to", c.to().toString());
            details.put("share", c.share().toPlainString());
            details.put("tokens_moved", Long.toString(misclassifiedTokens));
            description = "On " + c.from() + ".." + c.to() + " " + c.provider() + " bills " + percent(c.share())
                    + " of " + c.model() + " cache reads (" + misclassifiedTokens + " tokens) as uncached input, at"
                    + " the uncached price; the model's token total is unchanged";
        } else {
            AliasRerouting a = (AliasRerouting) cause;
            details.put("logged_model", a.loggedModel());
            details.put("billed_model", a.billedModel());
            details.put("from", a.from().toString());
            details.put("to", a.to().toString());
            description = "On " + a.from() + ".." + a.to() + " calls logged as " + a.loggedModel() + " are billed as "
                    + a.billedModel() + ", at its price";
        }
        return new PlantedVariance(cause.cause(), cause.provider(), List.copyOf(models), List.copyOf(classes),
                List.copyOf(days), rounded.toBigDecimal(), exact.toBigDecimal(), description, details, list);
    }

    private static String percent(BigDecimal share) {
        return share.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** The cell of a day, model and class, if the cause touches it. */
    public Optional<Cell> cell(LocalDate day, String model, String chargeClass) {
        return cells.stream().filter(c -> c.day().equals(day) && Objects.equals(c.model(), model)
                && c.chargeClass().equals(chargeClass)).findFirst();
    }
}
