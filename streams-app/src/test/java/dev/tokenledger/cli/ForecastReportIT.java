package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code report forecast} as a user runs it, against a real embedded PostgreSQL holding daily rollups:
 * <pre>
 * team    feature  customer  days                      requests  cost a day
 * search  answer   c1        2026-10-25 .. 2026-11-30  10        2 USD (flat)
 * growth  summary  c2        2026-11-19 .. 2026-11-30  10        1, 2, 3, ... USD (day n of the team: n USD)
 * </pre>
 * The ownership registry puts feature answer in product line assist; summary has no product line ({@code -}).
 */
class ForecastReportIT {

    @TempDir
    static Path dataDir;
    static EmbeddedWarehouse warehouse;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void fill() throws Exception {
        warehouse = EmbeddedWarehouse.start(dataDir.resolve("warehouse"));
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(rollups("search", "answer", "c1", "2026-10-25", "2026-11-30", "2"));
            s.execute(rollups("growth", "summary", "c2", "2026-11-19", "2026-11-30",
                    "(d::date - date '2026-11-18')"));
            s.execute("insert into llm_ownership values ('feature', 'answer', 'answer', 'search', 'cc-1', 'assist', 'ana')");
        }
    }

    @AfterAll
    static void stop() {
        warehouse.close();
    }

    private static String rollups(String team, String feature, String customer, String from, String to, String cost) {
        return """
                insert into llm_rollups
                select 'daily', d, d + interval '1 day', '%1$s', '%2$s', '%3$s', 'production', 'openai', 'gpt-4o',
                       10, 10, 0, 0, 0, 1000, 1000, 0, 0, 100, 0,
                       %6$s, 0, 0, 0, 0, 0, %6$s, 0, 0, 0, d + interval '12 hours'
                from generate_series(timestamptz '%4$sT00:00:00Z', timestamptz '%5$sT00:00:00Z', interval '1 day') d
                """.formatted(team, feature, customer, from, to, cost);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TokenLedger());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--jdbc-url";
        all[args.length + 1] = warehouse.jdbcUrl();
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Map<String, JsonNode> rowsByScopeAndPeriod(Run r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode row : new ObjectMapper().readTree(r.out()).get("rows")) {
            rows.put(row.get("scope").asText() + "|" + row.get("period").asText(), row);
        }
        return rows;
    }

    @Test
    void forecastsTheMonthFromAPastDayAndShowsWhatHappened() throws Exception {
        Map<String, JsonNode> rows = rowsByScopeAndPeriod(
                run("report", "forecast", "--by", "team", "--as-of", "2026-11-29", "--format", "json"));

        assertThat(rows).containsOnlyKeys("search|2026-11", "growth|2026-11");
        JsonNode search = rows.get("search|2026-11");
        // 35 flat days of history: November 1..28 spent 56, the 29th and 30th forecast at 2 each, the band is exact.
        assertThat(search.get("method").asText()).isEqualTo("volume_x_unit_cost");
        assertThat(search.get("history_days").asText()).isEqualTo("35");
        assertThat(search.get("actual_to_date_usd").asText()).isEqualTo("56.000000000000");
        assertThat(search.get("forecast_usd").asText()).isEqualTo("60.000000");
        assertThat(search.get("low_usd").asText()).isEqualTo("60.000000");
        assertThat(search.get("high_usd").asText()).isEqualTo("60.000000");
        assertThat(search.get("actual_usd").asText()).isEqualTo("60.000000000000");
        // 10 days (1..10 USD): the plain run rate 5.5 a day, no band; 55 spent, then 11 + 12 happened.
        JsonNode growth = rows.get("growth|2026-11");
        assertThat(growth.get("method").asText()).isEqualTo("insufficient_history");
        assertThat(growth.get("forecast_usd").asText()).isEqualTo("66.000000");
        assertThat(growth.get("low_usd").isNull()).isTrue();
        assertThat(growth.get("high_usd").isNull()).isTrue();
        assertThat(growth.get("actual_usd").asText()).isEqualTo("78.000000000000");
    }

    @Test
    void forecastsToTheNextQuarterEndPerMonthAndPerDayByProductLineAndCohort() throws Exception {
        Map<String, JsonNode> quarter = rowsByScopeAndPeriod(run("report", "forecast", "--by", "product_line",
                "--horizon", "quarter", "--as-of", "2026-11-29", "--format", "json"));
        assertThat(quarter).containsKeys("assist|2026-11", "assist|2026-12", "assist|2027-03", "-|2027-01");
        assertThat(quarter.get("assist|2026-12").get("forecast_usd").asText()).isEqualTo("62.000000");
        assertThat(quarter.get("assist|2027-02").get("forecast_usd").asText()).isEqualTo("56.000000");
        assertThat(quarter.get("-|2026-12").get("forecast_usd").asText()).isEqualTo("170.500000"); // 31 x 5.5
        assertThat(quarter.get("assist|2026-12").get("actual_usd").isNull()).isTrue(); // not happened yet

        Map<String, JsonNode> days = rowsByScopeAndPeriod(run("report", "forecast", "--by", "cohort",
                "--as-of", "2026-11-29", "--period", "day", "--format", "json"));
        assertThat(days).containsOnlyKeys("top_10|2026-11-29", "top_10|2026-11-30");
        // c1 and c2 are both top-10 customers: one cohort with 35 days of history; on the 29th it spent 2 + 11.
        assertThat(days.get("top_10|2026-11-29").get("method").asText()).isEqualTo("volume_x_unit_cost");
        assertThat(days.get("top_10|2026-11-29").get("actual_usd").asText()).isEqualTo("13.000000000000");
    }

    @Test
    void writesCsvAndAnHtmlChartWithoutExternalAssets() {
        Run csv = run("report", "forecast", "--as-of", "2026-11-29", "--format", "csv");
        assertThat(csv.exit()).as(csv.err()).isZero();
        assertThat(csv.out()).startsWith(
                "scope,period,forecast_usd,low_usd,high_usd,method,actual_to_date_usd,actual_usd,history_days\r\n");
        assertThat(csv.out()).contains("search,2026-11,60.000000,60.000000,60.000000,volume_x_unit_cost,56.000000000000,"
                + "60.000000000000,35\r\n");

        Run html = run("report", "forecast", "--as-of", "2026-11-29", "--format", "html");
        assertThat(html.exit()).as(html.err()).isZero();
        assertThat(html.out()).startsWith("<!doctype html>").contains("<svg").contains("<polygon").contains("<polyline")
                .contains("insufficient_history").doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    }

    @Test
    void answersUsageErrorsWithExitCodeTwo() {
        assertThat(run("report", "forecast", "--horizon", "year").exit()).isEqualTo(2);
        assertThat(run("report", "forecast", "--by", "region").exit()).isEqualTo(2);
        Run badDate = run("report", "forecast", "--as-of", "2026-11");
        assertThat(badDate.exit()).isEqualTo(2);
        assertThat(badDate.err()).contains("--as-of must be YYYY-MM-DD");
        assertThat(run("report", "forecast", "--change", "2026-12-01:search").exit()).isEqualTo(2);
    }
}
