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
        assertThatThrownBy(() -> Reports.run("no-such-report", db, ReportOptions.defaults()))
                .hasMessageContaining("unknown report 'no-such-report'");
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
                .containsExactly("spend", "budgets", "margin", "variance", "reconciliation", "close", "unallocated",
                        "unallocated-daily", "tasks", "anomalies", "forecast", "statements");
    }

    @Test
    void shouldReportCostPerSuccessfulTaskByFeatureAndModelWithUntaskedAndTotalLines() {
        Table table = Reports.run("tasks", db, ReportOptions.defaults().withMonth("2026-03").withBy("feature,model"));
        assertThat(table.title()).isEqualTo("cost per successful task by feature,model, 2026-03");
        assertThat(table.columns()).startsWith("feature", "model", "tasks", "successful_tasks", "failed_tasks",
                "abandoned_tasks", "unknown_tasks", "orphan_outcomes", "calls_per_task", "cost_usd", "late_cost_usd",
                "cost_per_call_usd", "cost_per_successful_task_usd", "success_rate_pct", "wasted_usd", "value_per_cost");
        assertThat(table.column("feature")).containsExactly("answer", "answer", "answer", "summary",
                "(all tasks)", "(untasked)", "(total)");
        assertThat(table.column("model")).containsExactly("claude-x", "gpt-x", "-", "gpt-x", null, null, null);
        assertThat(table.column("tasks")).containsExactly("2", "4", "0", "1", "7", null, "7");
        assertThat(table.column("successful_tasks")).containsExactly("2", "1", "0", "1", "4", null, "4");
        assertThat(table.column("unknown_tasks")).containsExactly("0", "1", "0", "0", "1", null, "1");
        assertThat(table.column("orphan_outcomes")).containsExactly("0", "0", "1", "0", "1", null, "1");
        // Late cost is in cost_usd (a3: 0.25 + 0.25 late) and in the numerator of cost per success, not in waste.
        assertThat(table.column("cost_usd")).containsExactly("2.600000000000", "2.000000000000", "0.000000000000",
                "0.500000000000", "5.100000000000", "3.400000000000", "8.500000000000");
        assertThat(table.column("late_cost_usd")).containsExactly("0.000000000000", "0.250000000000", "0.000000000000",
                "0.000000000000", "0.250000000000", "0.000000000000", "0.250000000000");
        assertThat(table.column("cost_per_call_usd")).containsExactly("0.866666666667", "0.285714285714", null,
                "0.500000000000", "0.463636363636", "1.133333333333", "0.607142857143");
        // gpt-x: (0.5 + 0.5 + 0.5) known cost / 1 success; the unknown task's 0.5 is in neither side.
        assertThat(table.column("cost_per_successful_task_usd")).containsExactly("1.300000000000", "1.500000000000",
                null, "0.500000000000", "1.150000000000", null, null);
        assertThat(table.column("success_rate_pct")).containsExactly("100.0000", "33.3333", null, "100.0000",
                "66.6667", null, "66.6667");
        assertThat(table.column("wasted_usd")).containsExactly("0.000000000000", "0.850000000000", "0.000000000000",
                "0.000000000000", "0.850000000000", null, "0.850000000000");
        assertThat(table.column("calls_per_task")).containsExactly("1.5000", "1.7500", null, "1.0000", "1.5714", null, "1.5714");
        assertThat(table.column("value_per_cost")).containsExactly("5.0000", "4.0000", null, null, "4.7059", null, null);
        assertThat(table.notes()).containsExactly(
                "answer: claude-x is cheaper per successful task than gpt-x by $0.200000 (13.3%): $1.300000 vs $1.500000,"
                        + " although it is dearer per call ($0.866667 vs $0.285714 per call, 3.03x)",
                "task cost $5.100000000000 + untasked cost $3.400000000000 = $8.500000000000"
                        + " = priced calls of the month $8.500000000000: ties out");
        assertThat(TableRenderer.render(table, TableFormat.TABLE)).contains("(7 rows)\nanswer: claude-x is cheaper");
        assertThat(TableRenderer.render(table, TableFormat.JSON)).contains("\"notes\" : [ \"answer: claude-x");
        assertThat(TableRenderer.render(table, TableFormat.CSV)).doesNotContain("cheaper");
    }

    @Test
    void shouldReportTasksByModelAcrossFeaturesAndKeepTheTopRowsAndTheSummaryLines() {
        Table byModel = Reports.run("tasks", db, ReportOptions.defaults().withMonth("2026-03").withBy("model"));
        assertThat(byModel.columns()).startsWith("model", "tasks");
        assertThat(byModel.column("model")).containsExactly("claude-x", "gpt-x", "-", "(all tasks)", "(untasked)", "(total)");
        assertThat(byModel.column("cost_usd")).containsExactly("2.600000000000", "2.500000000000", "0.000000000000",
                "5.100000000000", "3.400000000000", "8.500000000000");
        assertThat(byModel.column("cost_per_successful_task_usd")).containsExactly("1.300000000000", "1.000000000000",
                null, "1.150000000000", null, null);

        Table top = Reports.run("tasks", db, ReportOptions.defaults().withMonth("2026-03").withBy("feature").withTop(1));
        assertThat(top.column("feature")).containsExactly("answer", "(all tasks)", "(untasked)", "(total)");
        assertThat(top.column("successful_tasks")).containsExactly("3", "4", null, "4");

        Table latest = Reports.run("tasks", db, ReportOptions.defaults().withBy("feature"));
        assertThat(latest.title()).endsWith("2026-04");
        assertThat(latest.column("cost_usd")).containsExactly("7.000000000000", "7.000000000000", "0.000000000000",
                "7.000000000000");
        assertThat(latest.notes().get(latest.notes().size() - 1)).contains("differs by $-7.000000000000");
    }

    @Test
    void shouldRejectADimensionTheReportDoesNotGroupBy() {
        assertThatThrownBy(() -> Reports.run("tasks", db, ReportOptions.defaults().withBy("team")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature, model or feature,model");
        assertThatThrownBy(() -> Reports.run("spend", db, ReportOptions.defaults().withBy("model")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("team, feature, customer or cohort");
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
