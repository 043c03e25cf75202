package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.warehouse.EmbeddedWarehouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code load allocation} and {@code report statements} as a user runs them on the warehouse a demo left, with the
 * shipped examples/allocation.yaml and the demo's ownership registry. November 2026 uses the July version:
 * <ul>
 *   <li>eval-overhead: the 9.00 of eval-harness (environment eval) over the product lines by retained cost, discovery 60,
 *       customer-care 30, growth 10, legal 0: 5.40, 2.70, 0.90, 0.00;</li>
 *   <li>code-review-bot: its 10.00 fixed 40/30/20/10: search 4, support 3, growth 2, legal-ai 1;</li>
 *   <li>unallocated-by-requests: 3.00 over search, support and growth, 10 requests each: 1.00 each.</li>
 * </ul>
 * Teams: search 60 + 5.40 + 4 + 1 = 70.40, support 36.70, growth 13.90, legal-ai 1.00, platform and unallocated 0.00;
 * 122.00 in all.
 */
class StatementsCommandIT {

    private static final Path RULES = Path.of("..", "examples", "allocation.yaml");
    private static final Path DEMO_OWNERSHIP = Path.of("src", "main", "resources", "demo", "ownership.csv");

    @TempDir
    static Path dataDir;

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

    private static String[] with(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dataDir.toString());
        return all.toArray(String[]::new);
    }

    @BeforeAll
    static void demoLeftAWarehouse() throws Exception {
        try (EmbeddedWarehouse demoLeft = EmbeddedWarehouse.start(dataDir.resolve("warehouse"))) {
            DataSource db = demoLeft.dataSource();
            for (String line : Files.readAllLines(DEMO_OWNERSHIP).subList(1, Files.readAllLines(DEMO_OWNERSHIP).size())) {
                String[] c = line.split(",");
                execute(db, "insert into llm_ownership values ('%s', '%s', '%s', '%s', '%s', '%s', '%s')"
                        .formatted(c[0], c[1], c[2], c[3], c[4], c[5], c[6]));
            }
            execute(db, dailyRollup("search", "semantic-search", "production", "60"));
            execute(db, dailyRollup("platform", "eval-harness", "eval", "9"));
            execute(db, dailyRollup("platform", "code-review-bot", "internal", "10"));
            execute(db, dailyRollup("support", "support-copilot", "production", "30"));
            execute(db, dailyRollup("growth", "email-drafts", "production", "10"));
            execute(db, dailyRollup("unallocated", "unallocated", "-", "3"));
        }
    }

    @Test
    void shouldLoadTheExampleRulesAndDrawUpTheStatementsAndTheJournal() throws Exception {
        Run load = run(with("load", "allocation", RULES.toString()));
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(load.out()).contains("loaded 6 allocation rules in 2 version(s) from 2026-01");

        Path journal = dataDir.resolve("journal.csv");
        Run csv = run(with("report", "statements", "--month", "2026-11", "--format", "csv", "--chargeback", "--journal",
                journal.toString()));
        assertThat(csv.exit()).as(csv.err()).isZero();
        List<String> rows = csv.out().lines().toList();
        assertThat(rows.get(0)).startsWith("owner_scope,owner,direct_usd,shared_usd,total_usd,");
        assertThat(rows).hasSize(7);
        assertThat(rows.get(1)).startsWith("search,dana.kim@example.com; ravi.shah@example.com,60.00,10.40,70.40,");
        assertThat(rows.get(2)).startsWith("support,omar.haddad@example.com; grace.obi@example.com,30.00,6.70,36.70,");
        assertThat(rows.get(3)).startsWith("growth,lena.fischer@example.com; marco.rossi@example.com,10.00,3.90,13.90,");
        assertThat(rows.get(4)).startsWith("legal-ai,tomas.novak@example.com,0.00,1.00,1.00,");
        assertThat(rows.get(5)).startsWith("platform,raj.patel@example.com; ana.silva@example.com,19.00,-19.00,0.00,");
        assertThat(rows.get(6)).startsWith("unallocated,mei.chen@example.com,3.00,-3.00,0.00,");

        List<String> lines = Files.readAllLines(journal);
        assertThat(lines.get(0)).isEqualTo("month,rule,source,method,account,side,debit_usd,credit_usd,exact_usd,memo");
        assertThat(lines).contains("2026-11,code-review-bot,feature:code-review-bot,fixed,CC-1400,debit,1.00,0.00,1.000000000000,"
                + "share of feature:code-review-bot received");
        assertThat(lines).anyMatch(l -> l.startsWith("2026-11,unallocated-by-requests,unallocated,telemetry (requests),unallocated,credit,0.00,3.00,"));
        java.math.BigDecimal balance = java.math.BigDecimal.ZERO;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            balance = balance.add(new java.math.BigDecimal(c[6])).subtract(new java.math.BigDecimal(c[7]));
        }
        assertThat(balance).isZero();
        // header; eval 3 debits (legal's share is 0.00, not booked) + 1 credit; code-review-bot 4 + 1; unallocated 3 + 1
        assertThat(lines).hasSize(1 + (3 + 1) + (4 + 1) + (3 + 1));

        Run byCostCenter = run(with("report", "statements", "--month", "2026-11", "--by", "cost_center", "--owner", "CC-1100",
                "--format", "json"));
        assertThat(byCostCenter.exit()).as(byCostCenter.err()).isZero();
        assertThat(byCostCenter.out()).contains("\"owner_scope\" : \"CC-1100\"").contains("\"total_usd\" : \"70.40\"");

        Path out = dataDir.resolve("html");
        Run html = run(with("report", "statements", "--month", "2026-11", "--by", "product_line", "--format", "html", "--out",
                out.toString()));
        assertThat(html.exit()).as(html.err()).isZero();
        String discovery = Files.readString(out.resolve("statement-2026-11-discovery.html"));
        assertThat(discovery).contains("id=\"total-usd\">70.40</td>").contains("<svg");
    }

    @Test
    void shouldRefuseARulesFileWithLineNumbersAndUsageErrorsWithTwo() throws Exception {
        Path bad = dataDir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(RULES).replace("{search: 40, support: 30, growth: 20, legal-ai: 10}",
                "{search: 40, support: 30, growth: 20, legal-ai: 5}"));
        Run refused = run(with("load", "allocation", bad.toString()));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("line 21: weights_do_not_sum: fixed weights must sum to 100, these sum to 95")
                .contains("line 40: weights_do_not_sum");

        Run unknown = run(with("load", "allocation", Files.writeString(dataDir.resolve("unknown.yaml"),
                Files.readString(RULES).replace("[CC-1100, CC-1200, CC-1300]", "[CC-1100, CC-0000]")).toString()));
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("line 26: unknown_target: rule unallocated-even: cost_center 'CC-0000'");

        assertThat(run(with("report", "statements", "--by", "region")).exit()).isEqualTo(2);
        assertThat(run(with("report", "statements", "--format", "md")).exit()).isEqualTo(2);
        assertThat(run(with("report", "statements", "--chargeback")).exit()).isEqualTo(2);
        Run noOwner = run(with("report", "statements", "--month", "2026-11", "--owner", "nobody"));
        assertThat(noOwner.exit()).isEqualTo(2);
        assertThat(noOwner.err()).contains("no statement for team 'nobody'");
    }

    private static String dailyRollup(String team, String feature, String environment, String cost) {
        return """
                insert into llm_rollups values ('daily', '2026-11-10T00:00:00Z', '2026-11-11T00:00:00Z',
                  '%1$s', '%2$s', 'c1', '%3$s', 'openai', 'gpt-4o',
                  10, 10, 0, 0, 0, 1000, 1000, 0, 0, 100, 0,
                  %4$s, 0, 0, 0, 0, 0, %4$s, 0, 0, 0, '2026-11-10T12:00:00Z')""".formatted(team, feature, environment, cost);
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
