package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.demo.AnomalyDemo;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.PlantedChanges;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.warehouse.EmbeddedConnect;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import dev.tokenledger.warehouse.SqlRows;
import dev.tokenledger.warehouse.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's generated traffic with its four planted changes through a real broker (the whole topology, two
 * partitions), the shipped sinks on a Connect worker and PostgreSQL: the warehouse then holds each planted
 * change as its kind on its scope, the drivers of every row sum to its impact exactly, and the anomalies
 * report lists them.
 */
class AnomalyWarehouseIT {

    @TempDir
    Path dir;

    @Test
    void shouldLandEachPlantedChangeInTheWarehouseWithDriversThatSumToItsImpact() throws Exception {
        AnomalyDemo.Traffic traffic = AnomalyDemo.plantedOnly(7, Instant.now(), AnomalyDemo.PLANTED_COUNT);
        GeneratorOptions options = traffic.options();
        PlantedChanges planted = traffic.planted();
        Map<String, String> config = new HashMap<>(AnomalyDemo.CONFIG);
        config.put("commit.interval.ms", "100");
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"), config, PipelineMetrics.inMemory(), msg -> { });
             EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
             EmbeddedConnect connect = EmbeddedConnect.start(stack.bootstrapServers(), dir.resolve("connect"))) {
            ReferenceData.load(null, null, null).publish(stack.bootstrapServers(), stack.topics(), msg -> { });
            String registry = stack.config().get(TokenLedgerConfig.SCHEMA_REGISTRY_URL);
            // The rollups (to see how far the pipeline is) and the anomalies: the other sinks' rows are not read here.
            for (String sink : List.of(SinkConnectorConfigs.ROLLUPS, SinkConnectorConfigs.ANOMALY_ALERTS)) {
                connect.startConnector(SinkConnectorConfigs.sink(sink, warehouse, registry));
                connect.awaitRunning(sink, Duration.ofSeconds(60));
            }
            stack.startPipeline(msg -> { });
            TrafficGenerator generator = new TrafficGenerator(options, planted);
            Instant last = Instant.EPOCH;
            try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics())) {
                for (long i = 0; i < AnomalyDemo.PLANTED_COUNT; i++) {
                    UsageEvent e = generator.next();
                    last = e.getTimestamp().isAfter(last) ? e.getTimestamp() : last;
                    producer.sendAvro(e);
                }
                producer.flush();
            }

            DataSource db = warehouse.dataSource();
            // First the pipeline gets through the traffic (the last hour's rollup is in), however loaded the machine.
            java.sql.Timestamp lastHour = java.sql.Timestamp.from(last.truncatedTo(java.time.temporal.ChronoUnit.HOURS));
            await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(SqlRows.single(db, "select count(*) from llm_rollups where granularity = 'hourly'"
                            + " and window_start >= ?", lastHour)).isNotEqualTo("0"));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                for (PlantedChanges.Change c : planted.changes()) {
                    // The storm and the spike end within the traffic: their rows end resolved.
                    String state = c.until().equals(Instant.MAX) ? "state in ('open', 'updated')" : "state = 'resolved'";
                    assertThat(SqlRows.column(db, "select anomaly_id from llm_alerts_anomaly where kind = ? and scope_type = ?"
                                    + " and scope_id = ? and model is null and window_start between ? and ? and " + state,
                            c.kind(), c.scopeType(), c.scopeId(), java.sql.Timestamp.from(c.from()),
                            java.sql.Timestamp.from(c.from().plus(Duration.ofHours(2)))))
                            .as("%s on %s %s; the warehouse holds %s", c.kind(), c.scopeType(), c.scopeId(), SqlRows.column(db,
                                    "select kind || ' ' || scope_type || ' ' || scope_id || ' ' || coalesce(model, '-') || ' '"
                                            + " || window_start || ' ' || state from llm_alerts_anomaly order by window_start")).hasSize(1);
                }
            });

            // Every row with drivers: the four exact columns sum to impact_usd, to the last digit.
            assertThat(SqlRows.single(db, "select count(*) from llm_alerts_anomaly where volume_usd is not null")).isNotEqualTo("0");
            assertThat(SqlRows.column(db, "select anomaly_id from llm_alerts_anomaly where volume_usd is not null"
                    + " and volume_usd + model_mix_usd + token_shape_usd + rate_usd <> impact_usd")).isEmpty();
            assertThat(SqlRows.column(db, "select anomaly_id from v_anomalies where drivers_sum <> impact_usd")).isEmpty();
            // And the planted ones explain themselves with the driver that moved.
            // A rebuild on late rollups may have replaced a first finding (its row stays, state withdrawn): the live one counts.
            assertThat(SqlRows.single(db, "select drivers_detail from llm_alerts_anomaly where kind = 'unit_cost_drift'"
                    + " and scope_id = ? and model is null and state <> 'withdrawn'", PlantedChanges.MODEL_SWAP_FEATURE))
                    .contains("model_mix: claude-haiku-4-5-20251001 → claude-opus-4-1-20250805");
            assertThat(SqlRows.single(db, "select drivers_detail from llm_alerts_anomaly where kind = 'cache_hit_drop'"
                    + " and scope_id = ? and model is null and state <> 'withdrawn'", PlantedChanges.CACHE_REGRESSION_FEATURE))
                    .contains("token_shape: cache misses");

            // The report lists them, for the month of each onset.
            for (PlantedChanges.Change c : planted.changes()) {
                Table report = Reports.run("anomalies", db,
                        ReportOptions.defaults().withMonth(YearMonth.from(c.from().atOffset(ZoneOffset.UTC))));
                assertThat(report.columns()).startsWith("detected_at", "kind", "scope_type", "scope_id", "feature", "model",
                        "actual", "expected").contains("impact_usd", "explanation", "state");
                int kind = report.columns().indexOf("kind");
                int scope = report.columns().indexOf("scope_id");
                assertThat(report.rows()).anySatisfy(row -> {
                    assertThat(row.get(kind)).isEqualTo(c.kind());
                    assertThat(row.get(scope)).isEqualTo(c.scopeId());
                });
            }
        }
    }
}
