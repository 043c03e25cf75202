package dev.tokenledger.warehouse.statements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.Table;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements from a real PostgreSQL: the rules loaded into allocation_rules (V60), the fixture company's June and July
 * 2026 as daily rollups (and hourly ones, which must not count twice), and the HTML statement in a headless Chromium.
 */
class StatementsIT {

    @TempDir
    static Path dir;

    private static EmbeddedWarehouse warehouse;
    private static DataSource db;

    @BeforeAll
    static void start() throws Exception {
        warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
        db = warehouse.dataSource();
        try (Connection c = db.getConnection()) {
            for (FeatureHome h : List.of(new FeatureHome("a", "T1", "CC-1", "X", "ann"), new FeatureHome("b", "T2", "CC-2", "X", "bob"),
                    new FeatureHome("c", "T3", "CC-2", "Y", "cat"), new FeatureHome("shared", "P", "CC-9", "S", "pat"),
                    new FeatureHome("unallocated", "P", "CC-9", "S", "pat"))) {
                try (PreparedStatement st = c.prepareStatement("insert into llm_ownership (key_type, key, feature, team, cost_center,"
                        + " product_line, owner) values ('feature', ?, ?, ?, ?, ?, ?)")) {
                    st.setString(1, h.feature());
                    st.setString(2, h.feature());
                    st.setString(3, h.team());
                    st.setString(4, h.costCenter());
                    st.setString(5, h.productLine());
                    st.setString(6, h.owner());
                    st.executeUpdate();
                }
            }
            for (String month : List.of("2026-06", "2026-07")) {
                for (CostCell cell : StatementFixtures.month(month)) {
                    // Each cell as two customers' rows (summed back by the statements) and an hourly row (ignored).
                    BigDecimal half = cell.costUsd().divide(BigDecimal.valueOf(2));
                    rollup(c, "daily", cell, "cust-1", half, cell.requests() / 2, cell.tokens() / 2);
                    rollup(c, "daily", cell, "cust-2", cell.costUsd().subtract(half), cell.requests() - cell.requests() / 2,
                            cell.tokens() - cell.tokens() / 2);
                    rollup(c, "hourly", cell, "cust-1", cell.costUsd(), cell.requests(), cell.tokens());
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("""
                        insert into llm_budgets (scope_type, scope_id, period, amount_usd, soft_pct, hard_pct, action, owner, updated_at)
                        values ('team', 'T1', 'monthly', 100, 80, 100, 'alert', 'ann', now())""");
                st.execute("""
                        insert into llm_alerts_anomaly (anomaly_id, kind, state, scope_type, scope_id, feature, window_start,
                            window_end, detected_at, actual, expected, unit, impact_usd, severity, explanation)
                        values ('x1', 'spend_spike', 'open', 'feature', 'b', 'b', '2026-06-01T00:00Z', '2026-06-01T01:00Z',
                            '2026-06-01T02:00Z', 10, 2, 'usd_per_hour', 8, 'high', 'b spent 5x its usual hour')""");
                st.execute("""
                        insert into llm_reconciliation (provider, month, day, model, billed_models, charge_class, derived_usd,
                            invoiced_usd, variance_usd, within_tolerance, cause, explained_usd, evidence, derived_requests,
                            derived_tokens, invoice_lines)
                        values ('openai', '2026-06', '2026-06-01', 'm1', 'm1', 'output', 130, 131, 1, false, 'unexplained', 0,
                            'one dollar more', 10, 100, 1)""");
            }
        }
        AllocationRulesStore.load("rules.yaml", StatementFixtures.RULES, db);
    }

    @AfterAll
    static void stop() {
        if (warehouse != null) {
            warehouse.close();
        }
    }

    private static void rollup(Connection c, String granularity, CostCell cell, String customer, BigDecimal cost, long requests,
                               long tokens) throws SQLException {
        Instant start = granularity.equals("daily") ? cell.day().atStartOfDay().toInstant(java.time.ZoneOffset.UTC)
                : cell.day().atStartOfDay().toInstant(java.time.ZoneOffset.UTC).plus(3, ChronoUnit.HOURS);
        Instant end = start.plus(granularity.equals("daily") ? 24 : 1, ChronoUnit.HOURS);
        try (PreparedStatement st = c.prepareStatement("""
                insert into llm_rollups (granularity, window_start, window_end, team, feature, customer_id, environment,
                    provider, model, requests, successes, failures, retries, unpriced_requests, input_tokens,
                    uncached_input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens,
                    reasoning_output_tokens, cost_uncached_input, cost_cache_read, cost_cache_write, cost_output,
                    cost_reasoning, cost_fees, cost_total, retry_cost_usd, provider_reported_cost_usd,
                    provider_reported_requests, last_event_at)
                values (?, ?, ?, ?, ?, ?, ?, 'openai', ?, ?, ?, 0, 0, 0, ?, ?, 0, 0, 0, 0, 0, 0, 0, ?, 0, 0, ?, 0, 0, 0, ?)""")) {
            st.setString(1, granularity);
            st.setTimestamp(2, Timestamp.from(start));
            st.setTimestamp(3, Timestamp.from(end));
            st.setString(4, cell.team());
            st.setString(5, cell.feature());
            st.setString(6, customer);
            st.setString(7, cell.environment());
            st.setString(8, cell.model());
            st.setLong(9, requests);
            st.setLong(10, requests);
            st.setLong(11, tokens);
            st.setLong(12, tokens);
            st.setBigDecimal(13, cost);
            st.setBigDecimal(14, cost);
            st.setTimestamp(15, Timestamp.from(end.minusSeconds(1)));
            st.executeUpdate();
        }
    }

    @Test
    void shouldDrawUpJuneFromTheWarehouseToTheCent() {
        Table table = Reports.run("statements", db, ReportOptions.defaults().withMonth("2026-06"));
        assertThat(table.columns()).startsWith("owner_scope", "owner", "direct_usd", "shared_usd", "total_usd");
        assertThat(table.column("owner_scope")).containsExactly("T1", "T2", "T3", "P", "unallocated");
        assertThat(table.column("total_usd")).containsExactly("74.14", "40.23", "15.63", "0.00", "0.00");
        assertThat(table.column("total_exact_usd")).containsExactly("74.133333333334", "40.233333333333", "15.633333333333",
                "0.000000000000", "0.000000000000");
        assertThat(table.column("direct_usd")).containsExactly("68.00", "30.00", "10.00", "12.00", "10.00");
        assertThat(table.column("shared_usd")).containsExactly("6.14", "10.23", "5.63", "-12.00", "-10.00");
        assertThat(table.cell(0, "budget")).isEqualTo("team T1 68.0000% ok");
        assertThat(table.cell(1, "anomalies")).isEqualTo("1");
        assertThat(table.notes().get(0)).isEqualTo("month total 130.00 USD (exact 130.000000000000); the statements sum to 130.00 USD");
        assertThat(table.notes()).anyMatch(n -> n.startsWith("reconciliation openai: derived 130.000000000000 USD, invoiced"));
    }

    @Test
    void shouldApplyTheJulyVersionAndSplitTheChange() {
        StatementPack july = StatementsData.load(db, YearMonth.of(2026, 7), TargetLevel.TEAM);
        assertThat(july.month().version().effectiveFrom()).isEqualTo(YearMonth.of(2026, 7));
        List<OwnerStatement> s = july.month().statements();
        // Only the untagged rule from July: by tokens, T1 800 and T2 900 of 1700 (4.705882352941 and 5.294117647059);
        // the eval and platform cost stays with T1 and P.
        assertThat(s).extracting(OwnerStatement::scope).containsExactly("T1", "T2", "P", "T3", "unallocated");
        assertThat(s.get(0).total().exact()).isEqualTo(new BigDecimal("72.705882352941"));
        assertThat(s.get(0).total().cents()).isEqualTo(new BigDecimal("72.71"));
        assertThat(s.get(1).total().cents()).isEqualTo(new BigDecimal("35.29"));
        assertThat(s.stream().map(o -> o.total().cents()).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(new BigDecimal("130.00"));
        // T1 from June's 74.14 to 72.71: its direct cost did not move, so the whole change is shared.
        OwnerStatement.Change change = s.get(0).change();
        assertThat(change.priorTotal().cents()).isEqualTo(new BigDecimal("74.14"));
        assertThat(change.total().cents()).isEqualTo(new BigDecimal("-1.43"));
        assertThat(change.volume().exact()).isZero();
        assertThat(change.rate().exact()).isZero();
        assertThat(change.shared().cents()).isEqualTo(new BigDecimal("-1.43"));
    }

    @Test
    void shouldDrawUpCostCentersAndABalancedJournal() {
        StatementPack june = StatementsData.load(db, YearMonth.of(2026, 6), TargetLevel.COST_CENTER);
        assertThat(june.month().statements()).extracting(o -> o.scope() + " " + o.total().cents())
                .containsExactly("CC-1 74.13", "CC-2 55.87", "CC-9 0.00", "unallocated 0.00");
        List<ChargebackJournal.Line> lines = ChargebackJournal.lines(june.month().allocation());
        BigDecimal debits = lines.stream().map(ChargebackJournal.Line::debit).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal credits = lines.stream().map(ChargebackJournal.Line::credit).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(debits).isEqualTo(new BigDecimal("30.00"));
        assertThat(credits).isEqualTo(debits);
    }

    @Test
    void shouldRefuseAFileWithAnUnknownTargetAndKeepTheLoadedRules() {
        String bad = StatementFixtures.RULES.replace("targets: [T1, T2]", "targets: [T1, Nobody]");
        assertThatThrownBy(() -> AllocationRulesStore.load("bad.yaml", bad, db))
                .isInstanceOf(InvalidAllocationRules.class)
                .hasMessageContaining("line 24: unknown_target: rule untagged: team 'Nobody' is not in the ownership registry");
        try (Connection c = db.getConnection()) {
            assertThat(AllocationRulesStore.read(c).ruleCount()).isEqualTo(4);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldRenderTheStatementThatAHeadlessBrowserShowsWithItsTotals() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "chromium is not installed (apt-get install -y chromium; .ci/run installs it): the HTML statement is not opened");
        StatementPack june = StatementsData.load(db, YearMonth.of(2026, 6), TargetLevel.TEAM);
        Path html = dir.resolve("statement-T1.html");
        Files.writeString(html, StatementHtml.document(june, "T1"), StandardCharsets.UTF_8);
        String dom = dumpDom(chromium, html);
        assertThat(dom).contains("<h1>Statement T1, 2026-06</h1>");
        assertThat(dom).contains("<td class=\"n\" id=\"total-usd\">74.14</td>");
        assertThat(dom).contains("<td class=\"n\" id=\"total-exact-usd\">74.133333333334</td>");
        assertThat(dom).contains("id=\"direct-usd\">68.00</td>").contains("id=\"shared-usd\">6.14</td>");
        assertThat(dom).contains("<svg").contains("class=\"by-day\"").contains("class=\"by-feature\"");
        assertThat(dom).contains("month total 130.00 USD");
    }

    private static String dumpDom(Path chromium, Path html) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString())
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(process.exitValue()).as("chromium exit code (log: " + dir.resolve("chromium.log") + ")").isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
