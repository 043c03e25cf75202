package dev.tokenledger.govern;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.runtime.EmbeddedStack;
import dev.tokenledger.runtime.PipelineMetrics;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.runtime.UsageProducer;
import dev.tokenledger.warehouse.EmbeddedConnect;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
                    producer.sendAvro(event("wh-" + i, Instant.now()).build());
                }
                producer.flush();
            }

            DataSource db = warehouse.dataSource();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<String> told = rows(db, """
                        select told_state || '|' || told_action || '|' || told_spend_usd || '|' || state
                        from v_budget_position
                        where scope_type = 'team' and scope_id = 'search' and period = 'monthly'
                          and period_start = date_trunc('month', now() at time zone 'UTC')::date""");
                assertThat(told).containsExactly("hard|downgrade:gpt-4o-mini|0.014000000000|hard");
            });
            assertThat(rows(db, "select kind || '|' || action || '|' || threshold from llm_alerts_budget order by raised_at, kind"))
                    .containsExactlyInAnyOrder(
                            // The first call's run rate already projects past the budget by month end.
                            "forecast|alert|0.010000000000",
                            "soft|alert|0.005000000000",
                            "hard|downgrade:gpt-4o-mini|0.010000000000");
            assertThat(rows(db, "select summary from llm_alerts_budget where kind = 'hard'").get(0))
                    .contains("team:search monthly budget 0.01 USD", "top features: semantic-search");
        }
    }

    private static List<String> rows(DataSource db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
