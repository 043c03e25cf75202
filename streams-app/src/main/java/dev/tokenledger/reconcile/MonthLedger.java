package dev.tokenledger.reconcile;

import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.InvoiceLine;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Both sides of one provider's month, summed per (day, model, charge class): the derived cost of the
 * priced calls and the invoiced amount of the invoice lines. Models are the price book's names on both
 * sides (the caller maps the events' billed models as {@code ModelMapper} maps the invoice's).
 *
 * <p>Two folds make the classes comparable: tool and call fees are compared per provider and day
 * (model {@link #NO_MODEL}), because invoices bill them per provider (OpenAI's {@code web search tool
 * calls} names no model); and a model's derived reasoning cost joins its output unless the invoice bills
 * reasoning separately that month, because most invoices bill reasoning tokens as output.
 */
public final class MonthLedger {

    /** The model of provider-wide cells: fees, credits, tax. */
    public static final String NO_MODEL = "-";

    /** One compared cell. */
    public record CellKey(LocalDate day, String model, ChargeClass chargeClass) implements Comparable<CellKey> {
        @Override
        public int compareTo(CellKey o) {
            int c = day.compareTo(o.day);
            if (c == 0) {
                c = model.compareTo(o.model);
            }
            return c != 0 ? c : chargeClass.compareTo(o.chargeClass);
        }
    }

    /** What one cell holds of both sides. */
    static final class Cell {
        BigDecimal derived = BigDecimal.ZERO;
        BigDecimal invoiced = BigDecimal.ZERO;
        long tokens;
        int lines;
        /** Invoiced amount per tier as the invoice states it: standard, batch, flex, priority, ... */
        final Map<String, BigDecimal> invoicedByTier = new TreeMap<>();
        final TreeSet<String> billedNames = new TreeSet<>();
        /** A line that maps to no book model, or a non-usage line (credit, tax). */
        boolean unmapped;
    }

    /** Calls of one model on one day. */
    record Calls(long requests, long unpriced) {
        Calls plus(long r, long u) {
            return new Calls(requests + r, unpriced + u);
        }
    }

    private final String provider;
    private final YearMonth month;
    private final SortedMap<CellKey, Cell> cells = new TreeMap<>();
    private final Map<String, Map<LocalDate, Calls>> calls = new HashMap<>();
    private final Set<String> reasoningBilled = new HashSet<>();
    private int invoiceLines;

    public MonthLedger(String provider, YearMonth month) {
        this.provider = provider;
        this.month = month;
    }

    public String provider() {
        return provider;
    }

    public YearMonth month() {
        return month;
    }

    /** Whether any invoice line of the month was added: a month with none is not reconciled. */
    public boolean hasInvoice() {
        return invoiceLines > 0;
    }

    /** Adds the priced calls of one (day, model), summed; {@code model} is the book's name (or the billed one when unknown). */
    public void addDerived(LocalDate day, String model, SpendDelta spend) {
        CostBreakdown c = spend.cost();
        derived(day, model, ChargeClass.uncached_input, c.getUncachedInput(), spend.uncachedInputTokens());
        derived(day, model, ChargeClass.cache_read, c.getCacheRead(), spend.cacheReadInputTokens());
        derived(day, model, ChargeClass.cache_write, c.getCacheWrite(), spend.cacheCreationInputTokens());
        derived(day, model, ChargeClass.output, c.getOutput(), spend.outputTokens() - spend.reasoningOutputTokens());
        derived(day, model, ChargeClass.reasoning, c.getReasoning(), spend.reasoningOutputTokens());
        derived(day, NO_MODEL, ChargeClass.fees, c.getFees(), 0);
        calls.computeIfAbsent(model, m -> new TreeMap<>())
                .merge(day, new Calls(spend.requests(), spend.unpricedRequests()), (a, b) -> a.plus(b.requests, b.unpriced));
    }

    private void derived(LocalDate day, String model, ChargeClass cls, BigDecimal cost, long tokens) {
        if (cost.signum() == 0 && tokens == 0) {
            return;
        }
        Cell cell = cells.computeIfAbsent(new CellKey(day, model, cls), k -> new Cell());
        cell.derived = cell.derived.add(cost);
        cell.tokens += tokens;
    }

    /** Adds one invoice line (a corrected line must replace its earlier version before this is built). */
    public void addInvoice(InvoiceLine line) {
        ChargeClass cls = line.getChargeClass();
        boolean mapped = line.getModel() != null;
        String model;
        if (cls == ChargeClass.fees || (cls == ChargeClass.other && !mapped)) {
            model = NO_MODEL;
        } else {
            model = mapped ? line.getModel() : line.getBilledModel();
        }
        Cell cell = cells.computeIfAbsent(new CellKey(line.getBillingDay(), model, cls), k -> new Cell());
        cell.invoiced = cell.invoiced.add(line.getAmountUsd());
        cell.lines++;
        cell.billedNames.add(line.getBilledModel());
        String tier = line.getBatch() ? "batch" : line.getServiceTier() == null ? "standard" : line.getServiceTier();
        cell.invoicedByTier.merge(tier, line.getAmountUsd(), BigDecimal::add);
        if ((!mapped && cls != ChargeClass.fees) || cls == ChargeClass.other) {
            cell.unmapped = true;
        }
        if (cls == ChargeClass.reasoning) {
            reasoningBilled.add(model);
        }
        invoiceLines++;
    }

    /** The cells to compare, reasoning folded into output where the invoice has no reasoning lines. */
    SortedMap<CellKey, Cell> cells() {
        SortedMap<CellKey, Cell> out = new TreeMap<>();
        cells.forEach((key, cell) -> {
            if (key.chargeClass() == ChargeClass.reasoning && !reasoningBilled.contains(key.model())) {
                Cell target = out.computeIfAbsent(new CellKey(key.day(), key.model(), ChargeClass.output), k -> new Cell());
                fold(target, cell);
            } else {
                fold(out.computeIfAbsent(key, k -> new Cell()), cell);
            }
        });
        return out;
    }

    private static void fold(Cell into, Cell from) {
        into.derived = into.derived.add(from.derived);
        into.invoiced = into.invoiced.add(from.invoiced);
        into.tokens += from.tokens;
        into.lines += from.lines;
        from.invoicedByTier.forEach((t, a) -> into.invoicedByTier.merge(t, a, BigDecimal::add));
        into.billedNames.addAll(from.billedNames);
        into.unmapped |= from.unmapped;
    }

    Calls calls(String model, LocalDate day) {
        Calls c = calls.getOrDefault(model, Map.of()).get(day);
        return c == null ? new Calls(0, 0) : c;
    }

    long requestsInMonth(String model) {
        return calls.getOrDefault(model, Map.of()).values().stream().mapToLong(Calls::requests).sum();
    }
}
