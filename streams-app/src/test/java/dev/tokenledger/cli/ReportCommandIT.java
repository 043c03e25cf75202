package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SqlRows;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code report} and {@code load revenue} as a user runs them, against a real embedded PostgreSQL. */
class ReportCommandIT {

    private static final Path REVENUE = Path.of("..", "examples", "revenue.csv");

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TokenLedger());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldTellTheUserToRunTheDemoFirstWhenTheDataDirectoryHasNoWarehouse(@TempDir Path dataDir) {
        Run r = run("report", "spend", "--data-dir", dataDir.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no warehouse in").contains("run ./tokenledger demo first");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldAnswerUsageErrorsWithExitCodeTwoBeforeTouchingAnyWarehouse(@TempDir Path dataDir) {
        assertThat(run("report", "profit", "--data-dir", dataDir.toString()).exit()).isEqualTo(2);
        assertThat(run("report", "spend", "--month", "2026-13", "--data-dir", dataDir.toString()).err())
                .contains("--month must be YYYY-MM");
        assertThat(run("report", "spend", "--by", "region", "--data-dir", dataDir.toString()).exit()).isEqualTo(2);
        assertThat(run("report", "spend", "--format", "xml", "--data-dir", dataDir.toString()).exit()).isEqualTo(2);
        Run badUrl = run("report", "spend", "--jdbc-url", "jdbc:mysql://db/x?password=hunter2");
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("password=***").doesNotContain("hunter2");
    }

    @Test
    void shouldLoadRevenueIntoTheWarehouseTheDemoLeftAndReportMarginsThenStopIt(@TempDir Path dataDir) throws Exception {
        Path root = dataDir.resolve("warehouse");
        try (EmbeddedWarehouse demoLeft = EmbeddedWarehouse.start(root)) {
            execute(demoLeft.dataSource(), dailyRollup("semantic-search", "2026-11-22", "26.785770940000"));
        }

        Run load = run("load", "revenue", REVENUE.toString(), "--data-dir", dataDir.toString());
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(load.out()).contains("upserted 16 revenue rows").contains(root.toString());

        Run margin = run("report", "margin", "--format", "json", "--data-dir", dataDir.toString());
        assertThat(margin.exit()).as(margin.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(margin.out());
        assertThat(report.get("report").asText()).isEqualTo("feature margin, 2026-11");
        JsonNode search = null;
        for (JsonNode row : report.get("rows")) {
            if (row.get("feature").asText().equals("semantic-search")) {
                search = row;
            }
        }
        assertThat(search).isNotNull();
        assertThat(search.get("revenue_usd").asText()).isEqualTo("180.000000000000");
        assertThat(search.get("cost_usd").asText()).isEqualTo("26.785770940000");
        assertThat(search.get("margin_usd").asText()).isEqualTo("153.214229060000");
        assertThat(report.get("rows")).hasSize(8);

        int lastPort = Integer.parseInt(Files.readString(root.resolve("port")).strip());
        assertThat(listening(lastPort)).as("the command stops the warehouse it started").isFalse();
    }

    @Test
    void shouldUseTheWarehouseOfARunningDemoAndLeaveItRunning(@TempDir Path dataDir) throws Exception {
        try (EmbeddedWarehouse running = EmbeddedWarehouse.start(dataDir.resolve("warehouse"))) {
            execute(running.dataSource(), dailyRollup("doc-qa", "2026-11-22", "104.951689035000"));

            Run csv = run("report", "spend", "--by", "feature", "--format", "csv", "--data-dir", dataDir.toString());
            assertThat(csv.exit()).as(csv.err()).isZero();
            assertThat(csv.out()).isEqualTo("rank,feature,requests,spend_usd,share_pct\r\n"
                    + "1,doc-qa,10,104.951689035000,100.0000\r\n");

            Run viaUrl = run("report", "spend", "--jdbc-url", running.jdbcUrl());
            assertThat(viaUrl.exit()).as(viaUrl.err()).isZero();
            assertThat(viaUrl.out()).startsWith("spend by team, 2026-11").contains("104.951689035000");

            execute(running.dataSource(), "select 1");
        }
    }

    @Test
    void shouldNameEveryBadRevenueLineAndLoadNothing(@TempDir Path dataDir) throws Exception {
        Path csv = dataDir.resolve("revenue.csv");
        Files.writeString(csv, "feature,month,revenue_usd\ndoc-qa,2026-11,320.00\ndoc-qa,2026-11-15,1\n,2026-11,abc\n");
        try (EmbeddedWarehouse running = EmbeddedWarehouse.start(dataDir.resolve("warehouse"))) {
            Run load = run("load", "revenue", csv.toString(), "--data-dir", dataDir.toString());

            assertThat(load.exit()).isEqualTo(1);
            assertThat(load.err()).contains("2 errors").doesNotContain("line 2")
                    .contains("line 3: bad_month").contains("line 4: missing_feature");
            assertThat(count(running.dataSource(), "select count(*) from feature_revenue")).isZero();
        }
    }

    @Test
    void shouldSayInOneLineWhyAnExternalWarehouseCannotBeReached() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run r = run("report", "spend", "--jdbc-url",
                "jdbc:postgresql://localhost:" + closedPort + "/x?user=u&password=hunter2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("refused").doesNotContain("hunter2");
    }

    private static String dailyRollup(String feature, String day, String cost) {
        return """
                insert into llm_rollups values ('daily', '%1$sT00:00:00Z', '%1$sT00:00:00Z'::timestamptz + interval '1 day',
                  'search', '%2$s', 'c1', 'production', 'openai', 'gpt-4o',
                  10, 10, 0, 0, 0, 1000, 1000, 0, 0, 100, 0,
                  %3$s, 0, 0, 0, 0, 0, %3$s, 0, 0, 0, '%1$sT12:00:00Z')""".formatted(day, feature, cost);
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(DataSource db, String sql) {
        return Long.parseLong(SqlRows.single(db, sql));
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
