package dev.tokenledger.reconcile;

import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.aggregate.SpendDeltaSerde;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 8, reconcile: derived cost per (provider, day, model, charge class) against the provider's invoice
 * lines, with the cause of every variance (docs/reconciliation.md). It reads aggregates only: the rollup
 * stage's spend per (provider, day, model), a few records per emission, and the invoice lines.
 *
 * <pre>
 *  rollup ─ (provider, day, model) sums ─▶ reconcile-derived (repartition, one partition) ─┐
 *  llm.invoices.v1 ──────────────────────▶ reconcile-invoices (repartition, one partition) ┴▶ reconcile ─┬─▶ llm.reconciliation.v1
 *                                                                                                     └─▶ llm.alerts.reconciliation.v1
 * </pre>
 *
 * <p>One partition: a provider's month is reconciled whole (causes compare its models and days with each
 * other), and the input is a few thousand records a month per provider, so there is nothing to spread.
 */
public final class ReconcileTopology {

    private final TokenLedgerConfig config;
    private final Topics topics;
    private final PriceBook book;

    public ReconcileTopology(TokenLedgerConfig config, Topics topics, PriceBook book) {
        this.config = config;
        this.topics = topics;
        this.book = book;
    }

    public static Tolerance tolerance(TokenLedgerConfig config) {
        return new Tolerance(new BigDecimal(config.get(TokenLedgerConfig.RECONCILE_TOLERANCE_LINE_USD)),
                new BigDecimal(config.get(TokenLedgerConfig.RECONCILE_TOLERANCE_MONTH_USD)),
                new BigDecimal(config.get(TokenLedgerConfig.RECONCILE_TOLERANCE_RELATIVE)));
    }

    public void addTo(StreamsBuilder builder, KStream<String, SpendDelta> modelDays) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ReconcileProcessor.DERIVED_STORE),
                Serdes.String(), new SpendDeltaSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ReconcileProcessor.INVOICE_STORE),
                Serdes.String(), topics.avro(InvoiceLine.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ReconcileProcessor.MONTH_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ReconcileProcessor.ROW_STORE),
                Serdes.String(), Serdes.String()));
        Duration interval = config.duration(TokenLedgerConfig.RECONCILE_INTERVAL);
        Tolerance tolerance = tolerance(config);

        // Each side crosses its own one-partition repartition, so that the invoice topic stays out of the
        // rollup stage's sub-topology (and its partition count out of that stage's task count).
        ReconcileInputSerde serde = new ReconcileInputSerde(topics.avro(InvoiceLine.class));
        KStream<String, ReconcileInput> derived = modelDays
                .mapValues(spend -> (ReconcileInput) new ReconcileInput.Derived(spend), Named.as("reconcile-derived-input"))
                .repartition(Repartitioned.with(Serdes.String(), serde).withName("reconcile-derived").withNumberOfPartitions(1));
        KStream<String, ReconcileInput> invoiced = builder
                .stream(topics.invoices.name(), topics.invoices.consumed("reconcile-invoice-source"))
                .filter((lineId, line) -> line != null, Named.as("reconcile-invoice-present"))
                .mapValues(line -> (ReconcileInput) new ReconcileInput.Invoice(line), Named.as("reconcile-invoice-input"))
                .repartition(Repartitioned.with(Serdes.String(), serde).withName("reconcile-invoices").withNumberOfPartitions(1));

        var outputs = derived.merge(invoiced, Named.as("reconcile-merge-inputs"))
                .process(() -> new ReconcileProcessor(interval, tolerance, book), Named.as("reconcile"),
                        ReconcileProcessor.DERIVED_STORE, ReconcileProcessor.INVOICE_STORE, ReconcileProcessor.MONTH_STORE,
                        ReconcileProcessor.ROW_STORE)
                .split(Named.as("reconcile-output-"))
                .branch((key, out) -> out instanceof ReconcileOutput.RowOut, Branched.as("row"))
                .defaultBranch(Branched.as("alert"));
        outputs.get("reconcile-output-row")
                .mapValues(out -> ((ReconcileOutput.RowOut) out).row(), Named.as("reconcile-unwrap-row"))
                .to(topics.reconciliation.name(), topics.reconciliation.produced("reconciliation-sink"));
        outputs.get("reconcile-output-alert")
                .mapValues(out -> ((ReconcileOutput.AlertOut) out).alert(), Named.as("reconcile-unwrap-alert"))
                .to(topics.reconciliationAlerts.name(), topics.reconciliationAlerts.produced("reconciliation-alerts-sink"));
    }
}
