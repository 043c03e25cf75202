package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    }
}
