package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The five views on a real PostgreSQL, against answers worked out by hand from {@link WarehouseSample}. */
class WarehouseViewsIT {

    private static final LocalDate MARCH = LocalDate.parse("2026-03-01");

    @RegisterExtension
    static final SampleWarehouse WAREHOUSE = new SampleWarehouse();

    private static DataSource db;

    @BeforeAll
    static void readSample() {
        db = WAREHOUSE.dataSource();
    }

    @Test
    void shouldApplyEveryMigrationToAnEmptyDatabaseAndNothingTheSecondTime() {
        assertThat(SqlRows.query(db, "select version, description, success from flyway_schema_history order by installed_rank"))
                .extracting(row -> row.get("version") + "|" + row.get("description") + "|" + row.get("success"))
                .containsExactly("1|warehouse tables|true", "20|budget status and alerts|true",
                        "21|budget status per period|true", "30|task results|true", "40|anomaly alerts|true",
                        "50|reconciliation|true", "60|allocation statements|true", "61|feature revenue source|true",
                        "null|analyst views|true");
        assertThat(Warehouse.migrate(db)).isZero();
    }

    @Test
    void shouldStoreMoneyAsNumeric38Scale12AndInstantsAsTimestamptz() {
        List<Map<String, String>> columns = SqlRows.query(db, """
                select table_name, column_name, data_type, numeric_precision, numeric_scale
                from information_schema.columns
                where (table_name, column_name) in (('llm_rollups', 'cost_total'), ('llm_rollups', 'window_start'),
                    ('llm_usage_priced', 'event_provider_reported_cost_usd'), ('llm_budgets', 'amount_usd'),
                    ('feature_revenue', 'revenue_usd'), ('llm_usage_priced', 'flags'))
                order by table_name, column_name""");
        assertThat(columns).extracting(c -> c.get("table_name") + "." + c.get("column_name") + " " + c.get("data_type")
                        + " " + c.get("numeric_precision") + "," + c.get("numeric_scale"))
                .containsExactly(
                        "feature_revenue.revenue_usd numeric 38,12",
                        "llm_budgets.amount_usd numeric 38,12",
                        "llm_rollups.cost_total numeric 38,12",
                        "llm_rollups.window_start timestamp with time zone null,null",
                        "llm_usage_priced.event_provider_reported_cost_usd numeric 38,12",
                        "llm_usage_priced.flags ARRAY null,null");
    }

    @Test
    void shouldSplitMarchSpendByTeamWithSharesCountingDailyWindowsOnly() {
        assertThat(spend("team")).containsExactly(
                "1|search|15|80.000000000000|100.000000000000|80.0000",
                "2|growth|5|20.000000000000|100.000000000000|20.0000");
    }

    @Test
    void shouldSplitMarchSpendByFeature() {
        assertThat(spend("feature")).containsExactly(
                "1|answer|15|80.000000000000|100.000000000000|80.0000",
                "2|summary|5|20.000000000000|100.000000000000|20.0000");
    }

    @Test
    void shouldSplitMarchSpendByCustomerToTheLastDecimal() {
        assertThat(spend("customer")).containsExactly(
                "1|c1|13|74.999999999999|100.000000000000|75.0000",
                "2|c2|5|20.000000000000|100.000000000000|20.0000",
                "3|-|2|5.000000000001|100.000000000000|5.0000");
    }

    @Test
    void shouldGroupCustomersIntoCohortsWithUntaggedTrafficApart() {
        assertThat(SqlRows.query(db, "select * from v_spend_customer_cohorts where month = ? order by cohort_order", MARCH))
                .extracting(r -> r.get("cohort") + "|" + r.get("customers") + "|" + r.get("requests") + "|"
                        + r.get("spend_usd") + "|" + r.get("share_pct"))
                .containsExactly("top_10|2|18|94.999999999999|95.0000", "untagged|1|2|5.000000000001|5.0000");
    }

    @Test
    void shouldPlaceEveryBudgetAtOkSoftOrHardWithThresholdsReachedAtExactlyTheirPercent() {
        List<Map<String, String>> rows = SqlRows.query(db, """
                select * from v_budget_position where period = 'monthly' and period_start = ?
                order by scope_type, scope_id""", MARCH);
        assertThat(rows).extracting(r -> r.get("scope_type") + ":" + r.get("scope_id") + "|" + r.get("spend_usd") + "|"
                        + r.get("remaining_usd") + "|" + r.get("used_pct") + "|" + r.get("state") + "|"
                        + r.get("gateway_action"))
                .containsExactly(
                        "customer:c2|20.000000000000|0.000000000000|100.0000|hard|block",
                        "feature:answer|80.000000000000|920.000000000000|8.0000|ok|none",
                        "global:all|100.000000000000|100.000000000000|50.0000|soft|alert",
                        "team:growth|20.000000000000|-4.000000000000|125.0000|hard|downgrade:gpt-x-mini",
                        "team:search|80.000000000000|20.000000000000|80.0000|soft|alert",
                        "workload:chat|1.000000000000|1.000000000000|50.0000|soft|alert");
    }

    @Test
    void shouldShowWhatTheGatewayWasToldNextToEachBudget() {
        List<Map<String, String>> rows = SqlRows.query(db, """
                select * from v_budget_position where period = 'monthly' and period_start = ?
                order by scope_type, scope_id""", MARCH);
        assertThat(rows).extracting(r -> r.get("scope_type") + ":" + r.get("scope_id") + "|" + r.get("state") + "|"
                        + r.get("told_state") + "|" + r.get("told_action") + "|" + r.get("told_spend_usd"))
                .containsExactly(
                        "customer:c2|hard|soft|alert|19.990000000000",
                        "feature:answer|ok|null|null|null",
                        "global:all|soft|null|null|null",
                        "team:growth|hard|hard|downgrade:gpt-x-mini|20.000000000000",
                        "team:search|soft|null|null|null",
                        "workload:chat|soft|null|null|null");
    }

    @Test
    void shouldKeepWhatTheGatewayWasToldAboutEachMonthWhenTheNextMonthsStatusArrives() throws Exception {
        // April's status for growth (the new month starts at ok), sinked after March's, twice as a busy scope is.
        try (Connection connection = db.getConnection()) {
            WarehouseSample.upsertMonthlyStatus(connection, "team", "growth", "2026-04-01", "0", "16", "ok", "none");
            WarehouseSample.upsertMonthlyStatus(connection, "team", "growth", "2026-04-01", "1", "16", "ok", "none");
        }
        String told = """
                select told_state || '|' || told_action || '|' || told_spend_usd from v_budget_position
                where scope_type = 'team' and scope_id = 'growth' and period = 'monthly' and period_start = ?""";
        assertThat(SqlRows.single(db, told, MARCH)).isEqualTo("hard|downgrade:gpt-x-mini|20.000000000000");
        assertThat(SqlRows.single(db, told, LocalDate.parse("2026-04-01"))).isEqualTo("ok|none|1.000000000000");
        assertThat(SqlRows.single(db, "select count(*) from llm_budget_status where scope_id = 'growth'")).isEqualTo("2");
    }

    @Test
    void shouldComputeFeatureMarginAndMarginWithTwentyPercentMoreTokensKeepingFeesFlat() {
        List<Map<String, String>> rows = SqlRows.query(db,
                "select * from v_feature_margin where month = ? order by revenue_rank", MARCH);
        assertThat(rows).extracting(r -> r.get("revenue_rank") + "|" + r.get("feature") + "|" + r.get("revenue_usd")
                        + "|" + r.get("cost_usd") + "|" + r.get("margin_usd") + "|" + r.get("margin_pct") + "|"
                        + r.get("cost_tokens_plus_20pct_usd") + "|" + r.get("margin_tokens_plus_20pct_usd") + "|"
                        + r.get("margin_tokens_plus_20pct_pct"))
                .containsExactly(
                        // tokens 78 x 1.2 = 93.6, plus the 2 of per-call fees = 95.6
                        "1|answer|400.000000000000|80.000000000000|320.000000000000|80.0000|95.600000000000|304.400000000000|76.1000",
                        "2|summary|25.000000000000|20.000000000000|5.000000000000|20.0000|24.000000000000|1.000000000000|4.0000",
                        "3|ghost|10.000000000000|0.000000000000|10.000000000000|100.0000|0.000000000000|10.000000000000|100.0000");
    }

    @Test
    void shouldCompareDerivedWithProviderReportedCostOnlyOnCallsThatReportedOneAndNameTheLikelyCause() {
        List<Map<String, String>> rows = SqlRows.query(db,
                "select * from v_cost_variance_reported order by day, provider, model");
        assertThat(rows).extracting(r -> r.get("day") + "|" + r.get("provider") + "|" + r.get("model") + "|"
                        + r.get("requests") + "|" + r.get("reported_requests") + "|" + r.get("derived_cost_usd") + "|"
                        + r.get("reported_cost_usd") + "|" + r.get("variance_usd") + "|" + r.get("variance_pct") + "|"
                        + r.get("likely_cause"))
                .containsExactly(
                        "2026-03-02|anthropic|claude-x|1|1|3.000000000000|2.500000000000|0.500000000000|20.0000|price_book_above_provider",
                        // r2 reported nothing: compared are r1 + r3 only, 0.01 on 1.49 is within 1%
                        "2026-03-02|openai|gpt-x|3|2|1.500000000000|1.490000000000|0.010000000000|0.6711|within_tolerance",
                        "2026-03-03|anthropic|claude-x|1|1|1.000000000000|1.500000000000|-0.500000000000|-33.3333|price_fallback",
                        "2026-03-03|openai|gpt-y|1|1|0.000000000000|1.200000000000|-1.200000000000|-100.0000|unpriced_model");
    }

    @Test
    void shouldListUnallocatedAndSharedBucketsPerDayWithOwnerShareAndTrend() {
        List<Map<String, String>> rows = SqlRows.query(db,
                "select * from v_unallocated order by day, bucket_kind, team, feature");
        assertThat(rows).extracting(r -> r.get("day") + "|" + r.get("bucket_kind") + "|" + r.get("team") + "/"
                        + r.get("feature") + "/" + r.get("environment") + "|" + r.get("owner") + "|"
                        + r.get("spend_usd") + "|" + r.get("share_of_day_pct") + "|" + r.get("previous_day_usd") + "|"
                        + r.get("change_usd") + "|" + r.get("month_to_date_usd"))
                .containsExactly(
                        "2026-03-02|default|platform/unattributed/production|platform-finops|2.000000000000|30.7692|0.000000000000|2.000000000000|2.000000000000",
                        "2026-03-02|shared|growth/summary/eval|growth-lead|0.500000000000|7.6923|0.000000000000|0.500000000000|0.500000000000",
                        "2026-03-03|default|platform/unattributed/production|platform-finops|0.000000000000|0.0000|2.000000000000|-2.000000000000|2.000000000000",
                        "2026-03-03|shared|search/copilot/internal|null|1.000000000000|100.0000|0.000000000000|1.000000000000|1.000000000000",
                        "2026-03-04|default|platform/unattributed/production|platform-finops|1.000000000000|100.0000|0.000000000000|1.000000000000|3.000000000000");
    }

    @Test
    void shouldSizeEachBucketAgainstTheMonthsPricedSpend() {
        List<Map<String, String>> rows = SqlRows.query(db,
                "select * from v_unallocated_monthly where month = ? order by spend_usd desc", MARCH);
        assertThat(rows).extracting(r -> r.get("bucket_kind") + "|" + r.get("feature") + "|" + r.get("owner") + "|"
                        + r.get("requests") + "|" + r.get("spend_usd") + "|" + r.get("share_of_month_pct") + "|"
                        + r.get("active_days") + "|" + r.get("last_day"))
                .containsExactly(
                        "default|unattributed|platform-finops|3|3.000000000000|35.2941|3|2026-03-04",
                        "shared|copilot|null|1|1.000000000000|11.7647|1|2026-03-03",
                        "shared|summary|growth-lead|1|0.500000000000|5.8824|1|2026-03-02");
    }

    @Test
    void shouldLeaveTotalsUnchangedWhenTheSameRollupsAreUpsertedAgainAndTakeTheLatestValue() throws Exception {
        LocalDate may = LocalDate.parse("2026-05-01");
        List<WarehouseSample.Rollup> mayRollups = List.of(
                WarehouseSample.Rollup.daily("2026-05-01", "search", "answer", "c1", "production", 4, "1.100000000000", "0"),
                WarehouseSample.Rollup.daily("2026-05-02", "search", "answer", "c1", "production", 6, "2.200000000000", "0"),
                WarehouseSample.Rollup.daily("2026-05-02", "growth", "summary", "c2", "production", 1, "0.300000000001", "0"));
        try (Connection connection = db.getConnection()) {
            for (WarehouseSample.Rollup rollup : mayRollups) {
                WarehouseSample.upsertRollup(connection, rollup);
            }
        }
        String total = "select sum(spend_usd) from v_spend_monthly where month = ? and dimension = 'team'";
        String rows = "select count(*) from v_rollups_daily where month = ?";
        assertThat(SqlRows.single(db, total, may)).isEqualTo("3.600000000001");

        try (Connection connection = db.getConnection()) {
            for (WarehouseSample.Rollup rollup : mayRollups) {
                WarehouseSample.upsertRollup(connection, rollup);
            }
        }
        assertThat(SqlRows.single(db, total, may)).isEqualTo("3.600000000001");
        assertThat(SqlRows.single(db, rows, may)).isEqualTo("3");

        try (Connection connection = db.getConnection()) {
            WarehouseSample.upsertRollup(connection, mayRollups.get(1).withCost("2.500000000000"));
        }
        assertThat(SqlRows.single(db, total, may)).isEqualTo("3.900000000001");
        assertThat(SqlRows.single(db, rows, may)).isEqualTo("3");
    }

    private static List<String> spend(String dimension) {
        return SqlRows.query(db, "select * from v_spend_monthly where month = ? and dimension = ? order by rank",
                        MARCH, dimension).stream()
                .map(r -> r.get("rank") + "|" + r.get("key") + "|" + r.get("requests") + "|" + r.get("spend_usd") + "|"
                        + r.get("month_total_usd") + "|" + r.get("share_pct"))
                .toList();
    }
}
