package dev.tokenledger.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.RevenueCsv;
import dev.tokenledger.warehouse.SqlRows;
import dev.tokenledger.warehouse.Table;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's generated revenue on a real PostgreSQL: calls x price per call, finance's figures kept, old runs' replaced. */
class DemoRevenueIT {

    @Test
    void shouldPriceEachCustomerFacingFeaturesCallsAndKeepFinancesFigures(@TempDir Path dir) throws Exception {
        try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"))) {
            DataSource db = warehouse.dataSource();
            execute(db,
                    rollup("daily", "2026-11-29T00:00:00Z", "semantic-search", 40, "1.000000000000"),
                    rollup("daily", "2026-11-30T00:00:00Z", "semantic-search", 60, "1.500000000000"),
                    rollup("hourly", "2026-11-30T10:00:00Z", "semantic-search", 60, "1.500000000000"),
                    rollup("daily", "2026-11-30T00:00:00Z", "contract-review", 7, "2.345678901234"),
                    rollup("daily", "2026-12-01T00:00:00Z", "onboarding-agent", 3, "0.090000000000"),
                    rollup("daily", "2026-11-30T00:00:00Z", "ticket-summarizer", 3, "0.010000000000"),
                    rollup("daily", "2026-11-30T00:00:00Z", "email-drafts", 1, "0.001000000000"),
                    rollup("daily", "2026-11-30T00:00:00Z", "doc-qa", 5, "0.300000000000"),
                    rollup("daily", "2026-11-30T00:00:00Z", "eval-harness", 50, "3.000000000000"),
                    rollup("daily", "2026-11-30T00:00:00Z", "unallocated", 10, "0.100000000000"),
                    "insert into feature_revenue (feature, month, revenue_usd) values ('doc-qa', '2026-11-01', 320.00)",
                    "insert into feature_revenue values ('email-drafts', '2026-09-01', 9.99, 'demo')");

            DemoRevenue.Result first = DemoRevenue.generate(db);

            assertThat(first.keptFinance()).isEqualTo(1);
            assertThat(first.generated()).hasSize(5);
            // 100 daily calls x 0.025; 7 x 1.10; 3 x 0.012 = 0.036 -> 0.04; 1 x 0.008 -> 0.01; 3 x 0.020 in December.
            assertThat(revenueRows(db)).containsExactly(
                    "contract-review 2026-11-01 7.700000000000 demo",
                    "doc-qa 2026-11-01 320.000000000000 finance",
                    "email-drafts 2026-11-01 0.010000000000 demo",
                    "onboarding-agent 2026-12-01 0.060000000000 demo",
                    "semantic-search 2026-11-01 2.500000000000 demo",
                    "ticket-summarizer 2026-11-01 0.040000000000 demo");
            assertThat(first.describe()).contains("5 feature-months").contains("[2026-11, 2026-12]")
                    .contains("1 kept finance's figure").contains("margins of 2026-11 below");
            assertThat(first.mainMonth()).contains(java.time.YearMonth.of(2026, 11));

            Table margin = Reports.run("margin", db, ReportOptions.defaults().withMonth("2026-11"));
            assertThat(margin.column("feature")).containsExactly("doc-qa", "contract-review", "semantic-search",
                    "ticket-summarizer", "email-drafts");
            assertThat(margin.cell(1, "margin_usd")).isEqualTo("5.354321098766");

            // Finance loads a figure over the demo's: it is finance's from then on, and the next demo run keeps it.
            RevenueCsv.LoadResult loaded = RevenueCsv.load(
                    new StringReader("feature,month,revenue_usd\nsemantic-search,2026-11,150.00\n"), db);
            assertThat(loaded.ok()).isTrue();
            DemoRevenue.Result second = DemoRevenue.generate(db);
            assertThat(second.keptFinance()).isEqualTo(2);
            assertThat(revenueRows(db)).contains("semantic-search 2026-11-01 150.000000000000 finance")
                    .contains("contract-review 2026-11-01 7.700000000000 demo").hasSize(6);

            assertThat(DemoRevenue.clear(db)).isEqualTo(4);
            assertThat(revenueRows(db)).containsExactly("doc-qa 2026-11-01 320.000000000000 finance",
                    "semantic-search 2026-11-01 150.000000000000 finance");
        }
    }

    private static List<String> revenueRows(DataSource db) {
        return SqlRows.query(db, "select feature, month, revenue_usd, source from feature_revenue order by feature, month")
                .stream().map(r -> r.get("feature") + " " + r.get("month") + " " + r.get("revenue_usd") + " " + r.get("source"))
                .toList();
    }

    private static String rollup(String granularity, String start, String feature, long requests, String cost) {
        return """
                insert into llm_rollups values ('%1$s', '%2$s', '%2$s'::timestamptz + interval '%6$s',
                  'team', '%3$s', '-', 'production', 'openai', 'gpt-4o',
                  %4$d, %4$d, 0, 0, 0, 1000, 1000, 0, 0, 100, 0,
                  %5$s, 0, 0, 0, 0, 0, %5$s, 0, 0, 0, '%2$s')""".formatted(granularity, start, feature, requests, cost,
                granularity.equals("daily") ? "1 day" : "1 hour");
    }

    private static void execute(DataSource db, String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
