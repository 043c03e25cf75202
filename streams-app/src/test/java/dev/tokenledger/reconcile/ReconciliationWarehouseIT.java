package dev.tokenledger.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.cli.TokenLedger;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.invoice.InvoiceReader;
import dev.tokenledger.invoice.ModelMapper;
import dev.tokenledger.invoice.ModelOverrides;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.warehouse.ClosePack;
import dev.tokenledger.warehouse.EmbeddedConnect;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import dev.tokenledger.warehouse.SqlRows;
import dev.tokenledger.warehouse.Table;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The close from files to the warehouse, as a user runs it: last month's traffic generated as a backfill (shuffled,
 * with duplicates and bad lines) with its four invoices and planted causes; events played through the pipeline on a
 * real broker, invoices loaded, Connect sinking into PostgreSQL. The derived side equals the daily rollups to the last
 * digit, each planted cause is found with its dollars, at least 95% of the variance is explained, and loading the
 * same invoices again changes nothing.
 */
class ReconciliationWarehouseIT {

    @TempDir
    Path dir;

    @Test
    void shouldExplainLastMonthsInvoicesInTheWarehouse() throws Exception {
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        Path events = dir.resolve("backfill.jsonl");
        Path invoices = dir.resolve("invoices");
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new TokenLedger());
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("generate", "--month", month.toString(), "--count", "8000", "--shuffle", "-o", events.toString(),
                "--invoices", invoices.toString())).as(out.toString()).isZero();
        JsonNode planted = new ObjectMapper().readTree(invoices.resolve("planted-causes.json").toFile());

        PriceBook book = PriceBooks.loadDefault();
        InvoiceReader reader = new InvoiceReader(new ModelMapper(book, ModelOverrides.NONE));
        List<KeyValue<String, InvoiceLine>> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(invoices)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("planted-causes.json")).sorted().toList()) {
                reader.read(f, null).lines().forEach(l -> lines.add(KeyValue.pair(l.getLineId(), l)));
            }
        }

        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"), Map.of("commit.interval.ms", "200",
                        // A month of 8,000 calls bills tens of dollars: a dime, not the default dollar, is noise here.
                        TokenLedgerConfig.RECONCILE_TOLERANCE_MONTH_USD, "0.10"),
                PipelineMetrics.inMemory(), msg -> { });
             EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
             EmbeddedConnect connect = EmbeddedConnect.start(stack.bootstrapServers(), dir.resolve("connect"))) {
            List<KeyValue<String, PriceEntry>> prices = PriceBooks.readDefault().stream()
                    .map(e -> KeyValue.pair(PriceBook.keyOf(e), e)).toList();
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook, prices);
            String registry = stack.config().get(TokenLedgerConfig.SCHEMA_REGISTRY_URL);
            for (String sink : SinkConnectorConfigs.ALL) {
                connect.startConnector(SinkConnectorConfigs.sink(sink, warehouse, registry));
                connect.awaitRunning(sink, Duration.ofSeconds(60));
            }
            stack.startPipeline(msg -> { });
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().invoices, lines);
            try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics())) {
                for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
                    producer.sendJson(null, line.getBytes(StandardCharsets.UTF_8));
                }
                producer.flush();
            }

            DataSource db = warehouse.dataSource();
            String tieOut = """
                    select (select count(*) from llm_alerts_reconciliation) || '|' ||
                           (select coalesce(sum(derived_usd), 0) from llm_reconciliation) || '|' ||
                           (select coalesce(sum(cost_total), 0) from llm_rollups where granularity = 'daily')""";
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                String[] t = SqlRows.column(db, tieOut).get(0).split("\\|");
                assertThat(t[0]).isEqualTo("4");
                assertThat(new BigDecimal(t[2])).isPositive();
                assertThat(new BigDecimal(t[1])).as("the derived side is the daily rollups").isEqualByComparingTo(t[2]);
            });
            // Settled: the priced events' total, exactly, on both sides of the close.
            String settled = SqlRows.column(db, tieOut).get(0);

            for (JsonNode cause : planted.get("causes")) {
                String name = cause.get("cause").asText();
                BigDecimal expected = new BigDecimal(cause.get("variance_usd").asText());
                BigDecimal found = new BigDecimal(SqlRows.column(db,
                        "select coalesce(sum(variance_usd), 0) from llm_reconciliation where cause = '" + name + "'").get(0));
                assertThat(found).as(name + " explained vs planted").isCloseTo(expected, org.assertj.core.data.Offset.offset(new BigDecimal("0.01")));
            }
            BigDecimal open = new BigDecimal(SqlRows.column(db,
                    "select coalesce(sum(abs(variance_usd)), 0) from llm_reconciliation where cause = 'unexplained'").get(0));
            BigDecimal all = new BigDecimal(SqlRows.column(db, "select sum(abs(variance_usd)) from llm_reconciliation").get(0));
            assertThat(BigDecimal.ONE.subtract(open.divide(all, java.math.MathContext.DECIMAL64)))
                    .as("explained share").isGreaterThanOrEqualTo(new BigDecimal("0.95"));

            Table report = Reports.run("reconciliation", db, ReportOptions.defaults().withMonth(month));
            assertThat(report.column("model").stream().filter("TOTAL"::equals)).hasSize(4);
            assertThat(Reports.run("variance", db, ReportOptions.defaults().withMonth(month)).title()).contains("invoice");
            String close = ClosePack.render(db, ReportOptions.defaults().withMonth(month), "md");
            assertThat(close).contains("# Close " + month, "## openai: beyond tolerance", "stale_price", "missing_events",
                    "cache_misclassification", "alias_rerouting");
            assertThat(ClosePack.render(db, ReportOptions.defaults().withMonth(month).withProvider("aws.bedrock"), "html"))
                    .contains("<h2>aws.bedrock</h2>").doesNotContain("<h2>openai</h2>");

            // The same files loaded again: same keys, same values, nothing to re-publish.
            long rowsBefore = Long.parseLong(SqlRows.column(db, "select count(*) from llm_reconciliation").get(0));
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().invoices, lines);
            Thread.sleep(12_000);
            assertThat(SqlRows.column(db, tieOut).get(0)).isEqualTo(settled);
            assertThat(Long.parseLong(SqlRows.column(db, "select count(*) from llm_reconciliation").get(0))).isEqualTo(rowsBefore);
            assertThat(LocalDate.now(ZoneOffset.UTC)).isAfter(month.atEndOfMonth());
        }
    }
}
