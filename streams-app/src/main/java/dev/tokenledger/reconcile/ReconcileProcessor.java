package dev.tokenledger.reconcile;

import dev.tokenledger.aggregate.RollupKeys;
import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.avro.ReconciliationRow;
import dev.tokenledger.avro.ReconciliationState;
import dev.tokenledger.invoice.ModelMapper;
import dev.tokenledger.invoice.ModelOverrides;
import dev.tokenledger.price.PriceBook;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 8: derived cost against the invoice, per provider and month.
 *
 * <p>Both inputs are small: the rollup stage's spend per (provider, day, model), summed since its last
 * emission (so added up here, and late events correct the day they belong to), and invoice lines by
 * line_id (a corrected line replaces its earlier version). Each is stored under its provider-month and
 * marks that month changed. Every {@code interval} of wall-clock time each changed month that has invoice
 * lines is reconciled whole ({@link Reconciler}); a row is published to {@code llm.reconciliation.v1} only
 * when it differs from what was last published for its key, and likewise the month's
 * {@link ReconciliationAlert} (its totals and tolerance verdict: alerting pages on {@code beyond_tolerance}). All state is in changelogged stores,
 * so a crash under exactly-once neither loses nor doubles a dollar.
 */
public final class ReconcileProcessor implements Processor<String, ReconcileInput, String, ReconcileOutput> {

    public static final String DERIVED_STORE = "reconcile-derived-store";
    public static final String INVOICE_STORE = "reconcile-invoice-store";
    public static final String MONTH_STORE = "reconcile-month-store";
    public static final String ROW_STORE = "reconcile-row-store";

    private static final String DIRTY = "changed";
    private static final String NOT_INVOICED = "not_invoiced";
    private static final StringSerializer PREFIX = new StringSerializer();

    private final Duration interval;
    private final Tolerance tolerance;
    private final PriceBook book;
    private ProcessorContext<String, ReconcileOutput> context;
    private KeyValueStore<String, SpendDelta> derived;
    private KeyValueStore<String, InvoiceLine> invoices;
    /**
     * provider|month → {@link #DIRTY} until the next pass, then its state ({@link #NOT_INVOICED} or the
     * tolerance verdict); provider|month|#alert → the month record last published.
     */
    private KeyValueStore<String, String> months;
    /** Row key → the row as last published, to publish only rows that changed. */
    private KeyValueStore<String, String> published;

    public ReconcileProcessor(Duration interval, Tolerance tolerance, PriceBook book) {
        this.interval = interval;
        this.tolerance = tolerance;
        this.book = book;
    }

    @Override
    public void init(ProcessorContext<String, ReconcileOutput> context) {
        this.context = context;
        this.derived = context.getStateStore(DERIVED_STORE);
        this.invoices = context.getStateStore(INVOICE_STORE);
        this.months = context.getStateStore(MONTH_STORE);
        this.published = context.getStateStore(ROW_STORE);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> reconcileChanged());
    }

    @Override
    public void process(Record<String, ReconcileInput> record) {
        if (record.value() instanceof ReconcileInput.Derived d) {
            RollupKeys.ModelDayKey key = RollupKeys.parseModelDay(record.key());
            LocalDate day = Instant.ofEpochMilli(key.dayStartMs()).atOffset(ZoneOffset.UTC).toLocalDate();
            String month = ReconcileKeys.month(key.provider(), YearMonth.from(day));
            String cell = ReconcileKeys.derived(month, day, key.model());
            SpendDelta before = derived.get(cell);
            derived.put(cell, before == null ? d.spend() : before.plus(d.spend()));
            changed(month);
        } else if (record.value() instanceof ReconcileInput.Invoice i) {
            InvoiceLine line = i.line();
            String month = ReconcileKeys.month(line.getProvider(), YearMonth.from(line.getBillingDay()));
            invoices.put(ReconcileKeys.invoice(month, line.getLineId()), line);
            changed(month);
        }
        // A null value is an invoice line's tombstone, which names no month: a line is withdrawn by restating it as 0.
    }

    private void changed(String month) {
        months.put(month, DIRTY);
    }

    /** Reconciles every month that changed since the last pass. */
    void reconcileChanged() {
        List<String> changed = new ArrayList<>();
        try (KeyValueIterator<String, String> it = months.all()) {
            it.forEachRemaining(kv -> {
                if (DIRTY.equals(kv.value)) {
                    changed.add(kv.key);
                }
            });
        }
        if (changed.isEmpty()) {
            return;
        }
        ModelMapper names = new ModelMapper(book, ModelOverrides.NONE);
        for (String month : changed) {
            MonthLedger ledger = ledger(month, names);
            if (!ledger.hasInvoice()) {
                months.put(month, NOT_INVOICED);
                continue;
            }
            MonthResult result = new Reconciler(tolerance).reconcile(ledger, new BookRates(book, ledger.provider()));
            for (Row row : result.rows()) {
                ReconciliationRow out = rowOf(ledger.provider(), row);
                String key = ReconcileKeys.row(ledger.provider(), row.key());
                String text = out.toString();
                if (!text.equals(published.get(key))) {
                    published.put(key, text);
                    context.forward(new Record<>(key, new ReconcileOutput.RowOut(out), eventTime(row.key().day())));
                }
            }
            ReconciliationState state = result.withinTolerance() ? ReconciliationState.within_tolerance : ReconciliationState.beyond_tolerance;
            ReconciliationAlert alert = alertOf(result, state);
            String text = alert.toString();
            if (!text.equals(months.get(ReconcileKeys.lastAlert(month)))) {
                months.put(ReconcileKeys.lastAlert(month), text);
                context.forward(new Record<>(month, new ReconcileOutput.AlertOut(alert), eventTime(result.lastDay())));
            }
            months.put(month, state.name());
        }
    }

    private MonthLedger ledger(String month, ModelMapper names) {
        ReconcileKeys.Month m = ReconcileKeys.parseMonth(month);
        MonthLedger ledger = new MonthLedger(m.provider(), m.month());
        try (KeyValueIterator<String, SpendDelta> it = derived.prefixScan(ReconcileKeys.prefix(month), PREFIX)) {
            while (it.hasNext()) {
                KeyValue<String, SpendDelta> kv = it.next();
                ReconcileKeys.Cell cell = ReconcileKeys.parseDerived(kv.key);
                String model = names.bookModel(m.provider(), cell.model(), cell.day());
                ledger.addDerived(cell.day(), model == null ? cell.model() : model, kv.value);
            }
        }
        try (KeyValueIterator<String, InvoiceLine> it = invoices.prefixScan(ReconcileKeys.prefix(month), PREFIX)) {
            it.forEachRemaining(kv -> ledger.addInvoice(kv.value));
        }
        return ledger;
    }

    static ReconciliationRow rowOf(String provider, Row row) {
        BigDecimal variance = row.variance();
        return ReconciliationRow.newBuilder()
                .setProvider(provider)
                .setMonth(YearMonth.from(row.key().day()).toString())
                .setDay(row.key().day())
                .setModel(row.key().model())
                .setBilledModels(String.join(", ", row.billedNames()))
                .setChargeClass(row.key().chargeClass())
                .setDerivedUsd(money(row.derived()))
                .setInvoicedUsd(money(row.invoiced()))
                .setVarianceUsd(money(variance))
                .setVariancePct(percent(variance, row.invoiced()))
                .setWithinTolerance(row.withinTolerance())
                .setCause(row.cause())
                .setExplainedUsd(money(row.explained()))
                .setEvidence(row.evidence())
                .setDerivedRequests(row.requests())
                .setDerivedTokens(row.tokens())
                .setInvoiceLines(row.lines())
                .build();
    }

    static ReconciliationAlert alertOf(MonthResult r, ReconciliationState state) {
        return ReconciliationAlert.newBuilder()
                .setProvider(r.provider())
                .setMonth(r.month().toString())
                .setState(state)
                .setDerivedUsd(money(r.derived()))
                .setInvoicedUsd(money(r.invoiced()))
                .setVarianceUsd(money(r.variance()))
                .setVariancePct(percent(r.variance(), r.invoiced()))
                .setToleranceUsd(money(r.allowance()))
                .setExplainedUsd(money(r.explained()))
                .setUnexplainedUsd(money(r.unexplained()))
                .setHeadline(r.headline())
                .setLastDay(r.lastDay())
                .build();
    }

    /** At the money scale; the inputs are sums of scale-12 amounts, so nothing is rounded. */
    static BigDecimal money(BigDecimal v) {
        return v.setScale(12, RoundingMode.UNNECESSARY);
    }

    /** 100 * variance / invoiced, half-even to 4 places (a figure for people, not a sum). */
    static BigDecimal percent(BigDecimal variance, BigDecimal invoiced) {
        if (invoiced.signum() == 0) {
            return null;
        }
        return variance.multiply(BigDecimal.valueOf(100)).divide(invoiced, MathContext.DECIMAL128)
                .setScale(4, RoundingMode.HALF_EVEN).setScale(12);
    }

    private static long eventTime(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
