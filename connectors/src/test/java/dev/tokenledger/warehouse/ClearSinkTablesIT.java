package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a demo run does to the warehouse an earlier run left: every sink table empty, the rest kept. */
class ClearSinkTablesIT {

    /** Tables no sink writes: finance loads revenue and the allocation rules, Flyway owns its history. */
    private static final List<String> KEPT = List.of("feature_revenue", "allocation_rules", "flyway_schema_history");

    @TempDir
    Path root;

    @Test
    void shouldEmptyEveryTableASinkWritesOnEachRunAndKeepRevenue() throws Exception {
        try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(root)) {
            DataSource db = warehouse.dataSource();
            // A table added without a sink (or a sink without its table) must be a decision, not an accident.
            assertThat(SqlRows.query(db, "select table_name from information_schema.tables where table_schema = 'public'"
                            + " and table_type = 'BASE TABLE'"))
                    .extracting(r -> r.get("table_name"))
                    .containsExactlyInAnyOrderElementsOf(concat(SinkConnectorConfigs.tables(), KEPT));
            assertThat(SinkConnectorConfigs.tables()).contains("llm_budget_status", "llm_alerts_budget");

            WarehouseSample.load(db);
            for (int run = 1; run <= 2; run++) {
                if (run > 1) {
                    // What the next run's sinks write before the one after it starts.
                    WarehouseSample.loadSinked(db);
                }
                assertThat(counts(db)).as("run %d, before", run).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
                Warehouse.clearSinkTables(db);
                assertThat(counts(db)).as("run %d, after", run).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
                assertThat(SqlRows.single(db, "select count(*) from feature_revenue")).isEqualTo("3");
                assertThat(Warehouse.migrate(db)).isZero();
            }
        }
    }

    private static Map<String, Long> counts(DataSource db) {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : SinkConnectorConfigs.tables()) {
            counts.put(table, Long.parseLong(SqlRows.single(db, "select count(*) from " + table)));
        }
        return counts;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
