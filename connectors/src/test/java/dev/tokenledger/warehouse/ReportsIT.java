package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The named reports and the revenue loader against a real PostgreSQL holding {@link WarehouseSample}. */
class ReportsIT {

    @RegisterExtension
    static final SampleWarehouse WAREHOUSE = new SampleWarehouse();

    private static DataSource db;

    @BeforeAll
    static void readSample() {
        db = WAREHOUSE.dataSource();
    }

    @Test
    void shouldAnswerSpendByFeatureForTheAskedMonth() {
        Table table = Reports.run("spend", db, ReportOptions.defaults().withMonth("2026-03").withBy("feature"));
        assertThat(table.title()).isEqualTo("spend by feature, 2026-03");
        assertThat(table.columns()).containsExactly("rank", "feature", "requests", "spend_usd", "share_pct");
        assertThat(table.column("feature")).containsExactly("answer", "summary");
        assertThat(table.column("spend_usd")).containsExactly("80.000000000000", "20.000000000000");
    }

    @Test
    void shouldDefaultToTheLatestMonthWithData() {
        Table table = Reports.run("spend", db, ReportOptions.defaults());
        assertThat(table.title()).isEqualTo("spend by team, 2026-04");
        assertThat(table.rows()).hasSize(1);
        assertThat(table.cell(0, "spend_usd")).isEqualTo("7.000000000000");
    }

    @Test
    void shouldAnswerSpendByCohort() {
        Table table = Reports.run("spend", db, ReportOptions.defaults().withMonth("2026-03").withBy("cohort"));
        assertThat(table.column("cohort")).containsExactly("top_10", "untagged");
        assertThat(table.column("share_pct")).containsExactly("95.0000", "5.0000");
    }

    @Test
    void shouldListBudgetsMostUrgentFirst() {
        Table table = Reports.run("budgets", db, ReportOptions.defaults().withMonth("2026-03"));
        assertThat(table.column("scope_id")).containsExactly("growth", "c2", "search", "all", "chat", "answer");
        assertThat(table.column("state")).containsExactly("hard", "hard", "soft", "soft", "soft", "ok");
    }

    @Test
    void shouldKeepTheTopThreeFeaturesByRevenue() {
        Table table = Reports.run("margin", db, ReportOptions.defaults().withMonth("2026-03").withTop(2));
        assertThat(table.column("feature")).containsExactly("answer", "summary");
        assertThat(table.column("margin_tokens_plus_20pct_pct")).containsExactly("76.1000", "4.0000");
    }

    @Test
    void shouldReportVarianceAndUnallocatedBucketsOfTheMonth() {
        Table variance = Reports.run("variance", db, ReportOptions.defaults().withMonth("2026-03"));
        assertThat(variance.column("likely_cause")).containsExactly(
                "price_book_above_provider", "within_tolerance", "price_fallback", "unpriced_model");

        Table buckets = Reports.run("unallocated", db, ReportOptions.defaults().withMonth("2026-03"));
        assertThat(buckets.column("owner")).containsExactly("platform-finops", null, "growth-lead");
        assertThat(buckets.column("spend_usd")).containsExactly("3.000000000000", "1.000000000000", "0.500000000000");

        Table daily = Reports.run("unallocated-daily", db, ReportOptions.defaults().withMonth("2026-03"));
        assertThat(daily.column("day")).containsExactly("2026-03-02", "2026-03-02", "2026-03-03", "2026-03-03", "2026-03-04");
    }

    @Test
    void shouldReturnAnEmptyTableForAMonthWithoutData() {
        Table table = Reports.run("variance", db, ReportOptions.defaults().withMonth("2025-01"));
        assertThat(table.rows()).isEmpty();
        assertThat(table.columns()).contains("variance_usd");
    }

    @Test
    void shouldRejectAnUnknownReportName() {
        assertThatThrownBy(() -> Reports.run("forecast", db, ReportOptions.defaults()))
                .hasMessageContaining("unknown report 'forecast'");
    }

    @Test
    void shouldUpsertRevenueSoThatACorrectedFileReplacesTheFigure() throws Exception {
        RevenueCsv.LoadResult first = RevenueCsv.load(new StringReader("""
                feature,month,revenue_usd
                answer,2026-06,100
                summary,2026-06,50.5
                """), db);
        assertThat(first.ok()).isTrue();
        assertThat(first.loaded()).hasSize(2);

        RevenueCsv.LoadResult corrected = RevenueCsv.load(new StringReader("""
                feature,month,revenue_usd
                answer,2026-06-01,120.25
                """), db);
        assertThat(corrected.ok()).isTrue();
        assertThat(SqlRows.query(db, "select feature, revenue_usd from feature_revenue where month = '2026-06-01' order by feature"))
                .extracting(r -> r.get("feature") + "=" + r.get("revenue_usd"))
                .containsExactly("answer=120.250000000000", "summary=50.500000000000");
    }

    @Test
    void shouldLoadNothingFromAFileWithABadLine() throws Exception {
        RevenueCsv.LoadResult result = RevenueCsv.load(new StringReader("""
                feature,month,revenue_usd
                answer,2026-07,100
                summary,2026-07,lots
                """), db);
        assertThat(result.ok()).isFalse();
        assertThat(result.rejections()).extracting(RevenueCsv.Rejection::reason).containsExactly("bad_amount");
        assertThat(SqlRows.single(db, "select count(*) from feature_revenue where month = '2026-07-01'")).isEqualTo("0");
    }

    @Test
    void shouldRenderAReportInEveryFormat() {
        Table table = Reports.run("spend", db, ReportOptions.defaults().withMonth("2026-03").withBy("customer"));
        assertThat(TableRenderer.render(table, TableFormat.TABLE)).contains("74.999999999999").contains("(3 rows)");
        assertThat(TableRenderer.render(table, TableFormat.CSV)).startsWith("rank,customer,requests,spend_usd,share_pct\r\n");
        assertThat(TableRenderer.render(table, TableFormat.JSON)).contains("\"spend_usd\" : \"74.999999999999\"");
        assertThat(List.copyOf(Reports.DESCRIPTIONS.keySet()))
                .containsExactly("spend", "budgets", "margin", "variance", "unallocated", "unallocated-daily", "anomalies");
    }

    @Test
    void shouldListTheMonthsAnomaliesWithTheirExactDrivers() throws Exception {
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("""
                    insert into llm_alerts_anomaly values
                    ('unit_cost_drift|feature|answer|answer|-|2026-03-18T14:00:00Z', 'unit_cost_drift', 'updated', 'feature',
                     'answer', 'answer', null, '2026-03-18T14:00:00Z', '2026-03-18T20:00:00Z', '2026-03-18T15:00:00Z', 0.0066,
                     0.0019, 'usd_per_request', 2.320000000001, 25.2, 'low', 0, 2.45, -0.13, 0.000000000001,
                     'model_mix: claude-3-5-haiku → claude-sonnet-4-5', null, 'answer cost per request +244%'),
                    ('new_unpriced_model|model|openai/x|-|openai/x|2026-04-02T00:00:00Z', 'new_unpriced_model', 'open', 'model',
                     'openai/x', null, 'openai/x', '2026-04-02T00:00:00Z', '2026-04-02T01:00:00Z', '2026-04-02T01:00:00Z', 35,
                     0, 'unpriced_requests', 0, null, 'medium', null, null, null, null, null, 'feature answer $0', 'model openai/x unpriced')""");
        }
        Table march = Reports.run("anomalies", db, ReportOptions.defaults().withMonth("2026-03"));
        assertThat(march.title()).isEqualTo("anomalies, 2026-03");
        assertThat(march.columns()).startsWith("detected_at", "kind", "scope_type", "scope_id", "feature", "model", "actual",
                "expected").contains("impact_usd", "explanation", "state");
        assertThat(march.rows()).hasSize(1);
        assertThat(march.cell(0, "detected_at")).isEqualTo("2026-03-18T15:00:00Z");
        assertThat(march.cell(0, "impact_usd")).isEqualTo("2.320000000001");
        assertThat(march.cell(0, "model_mix_usd")).isEqualTo("2.450000000000");
        assertThat(march.cell(0, "state")).isEqualTo("updated");
        assertThat(SqlRows.single(db, "select count(*) from v_anomalies where kind = 'unit_cost_drift' and drivers_sum = impact_usd")).isEqualTo("1");
        Table latest = Reports.run("anomalies", db, ReportOptions.defaults());
        assertThat(latest.title()).isEqualTo("anomalies, 2026-04");
        assertThat(latest.column("kind")).containsExactly("new_unpriced_model");
        assertThat(latest.cell(0, "volume_usd")).isNull();
    }
}
