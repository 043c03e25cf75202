package dev.tokenledger.reconcile;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.ModelMapping;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.avro.ReconciliationRow;
import dev.tokenledger.avro.ReconciliationState;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.VarianceCause;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.topology.TokenLedgerTopology;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconcile stage in the whole topology: priced calls of ten October days against invoice lines.
 * The derived side ties out to the priced events exactly; a price change missing from the book is found
 * with its day; a corrected invoice and a late event re-publish only the rows they change; a restart on
 * the same state publishes nothing new.
 */
class ReconcileTopologyTest {

    static final Instant START = Instant.parse("2026-11-03T00:00:00Z");
    static final LocalDate OCT_1 = LocalDate.of(2026, 10, 1);

    @TempDir
    Path stateDir;

    String url = "mem://reconcile-test-" + UUID.randomUUID();
    SchemaRegistry registry = SchemaRegistries.fromUrl(url);
    TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(
            TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
            TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092",
            TokenLedgerConfig.MAX_EVENT_AGE, "P60D",
            TokenLedgerConfig.RECONCILE_TOLERANCE_LINE_USD, "0.0005",
            TokenLedgerConfig.RECONCILE_TOLERANCE_MONTH_USD, "0.01"));
    Topics topics = new Topics(config, registry);
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> usage;
    TestInputTopic<String, InvoiceLine> invoices;
    TestOutputTopic<String, PricedUsage> priced;
    TestOutputTopic<String, ReconciliationRow> rows;
    TestOutputTopic<String, ReconciliationAlert> alerts;

    void start() {
        driver = new TopologyTestDriver(new TokenLedgerTopology(config, registry, PriceBook.empty(), PipelineMetrics.inMemory()).build(),
                PipelineRunner.streamsProperties(config, stateDir), START);
        usage = driver.createInputTopic(topics.usageAvro.name(), new ByteArraySerializer(), new ByteArraySerializer());
        invoices = driver.createInputTopic(topics.invoices.name(), new StringSerializer(), topics.invoices.valueSerde().serializer());
        priced = driver.createOutputTopic(topics.priced.name(), new StringDeserializer(), topics.priced.valueSerde().deserializer());
        rows = driver.createOutputTopic(topics.reconciliation.name(), new StringDeserializer(), topics.reconciliation.valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.reconciliationAlerts.name(), new StringDeserializer(),
                topics.reconciliationAlerts.valueSerde().deserializer());
        TestInputTopic<String, PriceEntry> book = driver.createInputTopic(topics.pricebook.name(), new StringSerializer(),
                topics.pricebook.valueSerde().serializer());
        PriceEntry gpt4o = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
        book.pipeInput(PriceBook.keyOf(gpt4o), gpt4o);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    /** Twenty calls a day for ten days, each 1,000 input and 100 output tokens: $0.05 input and $0.02 output a day. */
    void tenDaysOfCalls() {
        for (int d = 0; d < 10; d++) {
            for (int i = 0; i < 20; i++) {
                Instant at = OCT_1.plusDays(d).atTime(12, i).toInstant(java.time.ZoneOffset.UTC);
                // The invoice bills the dated snapshot; both sides meet at the book's name, gpt-4o.
                send(event("r-" + d + "-" + i, at).build());
            }
        }
    }

    void send(UsageEvent e) {
        byte[] value = topics.avro(UsageEvent.class).serializer().serialize(topics.usageAvro.name(), e);
        usage.pipeInput(e.getRequestId().getBytes(StandardCharsets.UTF_8), value, e.getTimestamp());
    }

    /** The invoice for the ten days, uncached input at {@code inputFrom6th} per call from the 6th on. */
    void invoice(String inputFrom6th) {
        for (int d = 0; d < 10; d++) {
            LocalDate day = OCT_1.plusDays(d);
            String input = d >= 5 ? new BigDecimal(inputFrom6th).multiply(BigDecimal.valueOf(20)).toPlainString() : "0.05";
            line(day, ChargeClass.uncached_input, input);
            line(day, ChargeClass.output, "0.02");
        }
    }

    void line(LocalDate day, ChargeClass cls, String amount) {
        String id = "openai|proj_1|" + day + "|gpt-4o-2024-08-06|" + cls + "|-|-";
        invoices.pipeInput(id, InvoiceLine.newBuilder().setLineId(id).setProvider("openai").setBillingDay(day)
                .setBilledModel("gpt-4o-2024-08-06").setModel("gpt-4o").setMapping(ModelMapping.dated_snapshot)
                .setChargeClass(cls).setAmountUsd(new BigDecimal(amount).setScale(12)).setProject("proj_1")
                .setSourceFormat("openai").setSourceFile("costs.json").setSourceLine("[" + day.getDayOfMonth() + "]").build());
    }

    /** Lets the rollup stage emit, then the reconcile stage run. */
    void settle() {
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
    }

    static Map<String, ReconciliationRow> latest(List<KeyValue<String, ReconciliationRow>> out) {
        Map<String, ReconciliationRow> m = new TreeMap<>();
        out.forEach(kv -> m.put(kv.key, kv.value));
        return m;
    }

    @Test
    void aMatchingInvoiceTiesOutToThePricedEventsAndRaisesNoAlert() {
        start();
        tenDaysOfCalls();
        invoice("0.0025");
        settle();

        BigDecimal pricedTotal = priced.readValuesToList().stream().map(p -> p.getCost().getTotal()).reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, ReconciliationRow> out = latest(rows.readKeyValuesToList());
        assertThat(out).hasSize(20).containsKey("openai|2026-10-01|gpt-4o|uncached_input");
        assertThat(out.values().stream().map(ReconciliationRow::getDerivedUsd).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualTo(pricedTotal).isEqualByComparingTo("0.70");
        assertThat(out.values()).allMatch(r -> r.getCause() == VarianceCause.within_tolerance && r.getVarianceUsd().signum() == 0);
        assertThat(out.get("openai|2026-10-01|gpt-4o|uncached_input").getDerivedTokens()).isEqualTo(20_000);
        assertThat(out.get("openai|2026-10-01|gpt-4o|uncached_input").getBilledModels()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getState()).isEqualTo(ReconciliationState.within_tolerance);
            assertThat(a.getInvoicedUsd()).isEqualByComparingTo("0.70");
            assertThat(a.getToleranceUsd()).isEqualByComparingTo("0.01");
        });
    }

    @Test
    void aMissingPriceChangeRaisesTheMonthAndACorrectedInvoiceClearsIt() {
        start();
        tenDaysOfCalls();
        invoice("0.003");
        settle();

        Map<String, ReconciliationRow> out = latest(rows.readKeyValuesToList());
        ReconciliationRow sixth = out.get("openai|2026-10-06|gpt-4o|uncached_input");
        assertThat(sixth.getCause()).isEqualTo(VarianceCause.stale_price);
        assertThat(sixth.getVarianceUsd()).isEqualByComparingTo("0.01");
        assertThat(sixth.getEvidence()).contains("from 2026-10-06", "$3/1M", "$2.5/1M");
        assertThat(out.get("openai|2026-10-05|gpt-4o|uncached_input").getCause()).isEqualTo(VarianceCause.within_tolerance);
        List<ReconciliationAlert> raised = alerts.readValuesToList();
        assertThat(raised).hasSize(1);
        assertThat(raised.get(0).getState()).isEqualTo(ReconciliationState.beyond_tolerance);
        assertThat(raised.get(0).getVarianceUsd()).isEqualByComparingTo("0.05");
        assertThat(raised.get(0).getUnexplainedUsd()).isZero();
        assertThat(raised.get(0).getHeadline()).contains("stale_price +$0.05");

        // The provider restates the invoice at the book's price: the same line ids replace the old lines.
        invoice("0.0025");
        settle();
        Map<String, ReconciliationRow> corrected = latest(rows.readKeyValuesToList());
        assertThat(corrected).as("only the five restated rows change").hasSize(5)
                .allSatisfy((k, r) -> assertThat(r.getCause()).isEqualTo(VarianceCause.within_tolerance));
        assertThat(alerts.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getState()).isEqualTo(ReconciliationState.within_tolerance));
    }

    @Test
    void aLateEventCorrectsItsDayAndARestartRepublishesNothing() {
        start();
        tenDaysOfCalls();
        invoice("0.0025");
        settle();
        rows.readKeyValuesToList();
        alerts.readValuesToList();

        // A call of the 3rd arrives a month late; the invoice already billed it (it was $0.0035 short).
        line(OCT_1.plusDays(2), ChargeClass.uncached_input, "0.0525");
        line(OCT_1.plusDays(2), ChargeClass.output, "0.021");
        settle();
        assertThat(latest(rows.readKeyValuesToList())).allSatisfy((k, r) -> assertThat(r.getCause()).isEqualTo(VarianceCause.missing_events));
        send(event("late-1", OCT_1.plusDays(2).atTime(23, 0).toInstant(java.time.ZoneOffset.UTC)).build());
        settle();
        Map<String, ReconciliationRow> fixed = latest(rows.readKeyValuesToList());
        assertThat(fixed).containsOnlyKeys("openai|2026-10-03|gpt-4o|uncached_input", "openai|2026-10-03|gpt-4o|output");
        assertThat(fixed.values()).allMatch(r -> r.getVarianceUsd().signum() == 0 && r.getDerivedRequests() == 21);

        driver.close();
        start();
        settle();
        assertThat(rows.isEmpty()).as("nothing changed across the restart").isTrue();
        assertThat(alerts.isEmpty()).isTrue();
    }
}
