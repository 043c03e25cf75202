package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.demo.DemoRevenue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's quickstart, run as a user would (same commands, in-process), so it cannot rot. */
class QuickstartIT {

    static final Path EXAMPLES = Path.of("..", "examples");

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TokenLedger());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldPriceTheExampleEventWithTheShippedBook() throws Exception {
        Run r = run("price", EXAMPLES.resolve("usage-event.json").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(r.out());
        JsonNode costs = result.get("costs");
        BigDecimal sum = BigDecimal.ZERO;
        for (String c : new String[] {"uncached_input", "cache_read", "cache_write", "output", "reasoning", "fees"}) {
            sum = sum.add(new BigDecimal(costs.get(c).asText()));
        }
        assertThat(new BigDecimal(result.get("total_cost_usd").asText())).isEqualTo(sum).isPositive();
        assertThat(result.get("price").get("provider").asText()).isEqualTo("anthropic");
    }

    @Test
    void shouldPriceValidLinesAndNameTheInvalidOneWithItsLineNumber() {
        Run r = run("price", EXAMPLES.resolve("usage-events.jsonl").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines().count()).isEqualTo(11);
        assertThat(r.err()).contains("line 12").contains("cache_read_input_tokens").contains("subset_exceeds_total");
    }

    @Test
    void shouldRunTheDemoUntilIdleWithEverythingTyingOut(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("summary.json");
        Run r = run("demo", "--until-idle", "--count", "3000", "--rate", "0",
                "--data-dir", dir.resolve("data").toString(), "--summary-json", summary.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(Files.readString(summary));
        assertThat(s.get("events_read").asLong()).isEqualTo(3000);
        assertThat(s.get("priced").asLong() + s.get("dead_lettered").asLong() + s.get("duplicates_absorbed").asLong())
                .isEqualTo(3000);
        assertThat(s.get("rollups_tie_out").asBoolean()).isTrue();
        assertThat(s.get("accounted_for").asBoolean()).isTrue();
        assertThat(r.out()).contains("accounted for          yes");
        assertThat(s.get("dead_lettered").asLong()).isPositive();
        assertThat(s.get("unpriced").asLong()).isPositive();
        assertThat(new BigDecimal(s.get("total_cost_usd").asText())).isPositive();
        assertThat(r.out()).contains("warehouse caught up").contains("psql -h localhost");
        assertThat(r.out()).contains("reconciled ").doesNotContain("NOT settled")
                .doesNotContain("warehouse has NOT caught up");
        assertMarginsForTheDemosFeatures(r, dir.resolve("data"));
    }

    /**
     * Question 3 out of the box: the demo priced its own customer-facing features' calls, so the margin report has a
     * row for each that has spend in the month, revenue = calls x the feature's price per call, margin = revenue - cost.
     */
    private static void assertMarginsForTheDemosFeatures(Run demo, Path dataDir) throws Exception {
        assertThat(demo.out()).contains("revenue generated for").contains("margin_usd");
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("margins of (\\d{4}-\\d{2}) below").matcher(demo.out());
        assertThat(shown.find()).as(demo.out()).isTrue();
        String busiest = shown.group(1);
        Run margin = run("report", "margin", "--month", busiest, "--format", "json", "--data-dir", dataDir.toString());
        assertThat(margin.exit()).as(margin.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(margin.out());
        String month = report.get("report").asText().replace("feature margin, ", "");
        java.util.Set<String> features = new java.util.TreeSet<>();
        for (JsonNode row : report.get("rows")) {
            String feature = row.get("feature").asText();
            features.add(feature);
            assertThat(DemoRevenue.PRICE_PER_CALL).containsKey(feature);
            BigDecimal revenue = new BigDecimal(row.get("revenue_usd").asText());
            BigDecimal cost = new BigDecimal(row.get("cost_usd").asText());
            assertThat(revenue).isEqualByComparingTo(DemoRevenue.revenue(feature, row.get("requests").asLong()));
            assertThat(cost).isPositive();
            assertThat(new BigDecimal(row.get("margin_usd").asText())).isEqualByComparingTo(revenue.subtract(cost));
        }
        Run spend = run("report", "spend", "--by", "feature", "--month", month, "--format", "json",
                "--data-dir", dataDir.toString());
        assertThat(spend.exit()).as(spend.err()).isZero();
        java.util.Set<String> customerFacingWithSpend = new java.util.TreeSet<>();
        for (JsonNode row : new ObjectMapper().readTree(spend.out()).get("rows")) {
            if (DemoRevenue.PRICE_PER_CALL.containsKey(row.get("feature").asText())) {
                customerFacingWithSpend.add(row.get("feature").asText());
            }
        }
        assertThat(features).isEqualTo(customerFacingWithSpend).hasSizeGreaterThanOrEqualTo(6);
        for (String feature : features) {
            // The demo's own answer: a margin row (rank, feature, requests, revenue) per feature.
            assertThat(demo.out()).containsPattern("\\n\\s+\\d+\\s+" + java.util.regex.Pattern.quote(feature)
                    + "\\s+\\d+\\s+\\d+\\.\\d{12}\\s");
        }
    }
}
