package dev.tokenledger.govern;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.warehouse.EmbeddedConnect;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import dev.tokenledger.warehouse.SqlRows;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From a call that crosses a hard threshold to the warehouse: the whole pipeline on the embedded broker, the
 * shipped sinks on a Connect worker with the Avro converter, PostgreSQL. The budget report then shows what the
 * gateway is being told, and each alert once.
 */
class BudgetWarehouseIT {

    @TempDir
    Path dir;

    @Test
    void shouldLandStatusAndAlertsSoTheBudgetReportShowsWhatTheGatewayIsTold() throws Exception {
        run(Instant.now(), "date_trunc('month', now() at time zone 'UTC')::date", db -> {
            assertThat(rows(db, "select kind || '|' || action || '|' || threshold from llm_alerts_budget"
                    + " where kind in ('soft', 'hard') order by raised_at, kind"))
                    .containsExactlyInAnyOrder(
                            "soft|alert|0.005000000000",
                            "hard|downgrade:gpt-4o-mini|0.010000000000");
            // The budget stage counts sums of calls: when the first sum already crosses the budget there is
            // nothing left to forecast, when it does not its run rate projects past the budget. Either way once.
            assertThat(rows(db, "select kind from llm_alerts_budget where kind = 'forecast'")).hasSizeLessThanOrEqualTo(1);
            assertThat(rows(db, "select summary from llm_alerts_budget where kind = 'hard'").get(0))
                    .contains("team:search monthly budget 0.01 USD", "top features: semantic-search");
        });
    }

    @Test
    void shouldShowWhatTheGatewayWasToldAboutLastMonthWhenItsTrafficIsProcessedThisMonth() throws Exception {
        // As the demo on the 1st of a month: calls from the month before, processed (and reported) in this one.
        Instant lastMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        run(lastMonth, "(date_trunc('month', now() at time zone 'UTC') - interval '1 month')::date", db ->
                assertThat(rows(db, """
                        select kind || '|' || (period_start at time zone 'UTC')::date from llm_alerts_budget
                        where kind in ('soft', 'hard')"""))
                        .containsExactlyInAnyOrder("soft|" + lastMonth.toString().substring(0, 8) + "01",
                                "hard|" + lastMonth.toString().substring(0, 8) + "01"));
    }

    interface WarehouseCheck {
        void check(DataSource db) throws Exception;
    }

    /**
     * Four calls at {@code callsAt} against a $0.01 monthly budget; waits until {@code v_budget_position} shows,
     * for the month {@code periodStartSql}, the hard state and that the gateway was told so; then {@code alerts}.
     */
    private void run(Instant callsAt, String periodStartSql, WarehouseCheck alerts) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"), Map.of("commit.interval.ms", "100"),
                PipelineMetrics.inMemory(), msg -> { });
             EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
             EmbeddedConnect connect = EmbeddedConnect.start(stack.bootstrapServers(), dir.resolve("connect"))) {
            PriceEntry gpt4o = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook,
                    List.of(KeyValue.pair(PriceBook.keyOf(gpt4o), gpt4o)));
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().ownership,
                    List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
            Budget search = GovernFixtures.budget("team", "search", "monthly", "0.01", 50, 100, "downgrade:gpt-4o-mini");
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().budgets,
                    List.of(KeyValue.pair(BudgetCsv.recordKey(search), search)));
            String registry = stack.config().get(TokenLedgerConfig.SCHEMA_REGISTRY_URL);
            for (String sink : SinkConnectorConfigs.ALL) {
                connect.startConnector(SinkConnectorConfigs.sink(sink, warehouse, registry));
                connect.awaitRunning(sink, Duration.ofSeconds(60));
            }
            stack.startPipeline(msg -> { });

            try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics())) {
                // $0.0035 a call: the third reaches the $0.01 hard threshold.
                for (int i = 0; i < 4; i++) {
                    producer.sendAvro(event("wh-" + i, callsAt.plusMillis(i)).build());
                }
                producer.flush();
            }

            DataSource db = warehouse.dataSource();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<String> told = rows(db, """
                        select told_state || '|' || told_action || '|' || told_spend_usd || '|' || state
                        from v_budget_position
                        where scope_type = 'team' and scope_id = 'search' and period = 'monthly'
                          and period_start = """ + periodStartSql);
                assertThat(told).containsExactly("hard|downgrade:gpt-4o-mini|0.014000000000|hard");
            });
            // The alerts sink runs apart from the status sink: give it the same chance to catch up.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> alerts.check(db));
        }
    }

    private static List<String> rows(DataSource db, String sql) {
        return SqlRows.column(db, sql);
    }
}
