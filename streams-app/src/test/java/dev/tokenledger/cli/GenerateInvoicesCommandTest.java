package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code generate --invoices}: the files written, what is said about them, and that {@code load invoice} takes them. */
class GenerateInvoicesCommandTest {

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
    void shouldWriteTheInvoicesTheLoaderAccepts(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("october.jsonl");
        Path invoices = dir.resolve("invoices");

        Run generated = run("generate", "--month", "2026-10", "--count", "6000", "-o", events.toString(),
                "--invoices", invoices.toString(), "--plant", "missing_events,stale_price");

        assertThat(generated.exit()).as(generated.err()).isZero();
        List<String> names = List.of("openai-costs-2026-10.json", "anthropic-cost-report-2026-10.json",
                "aws-focus-2026-10.csv", "gcp-focus-2026-10.csv");
        for (String name : names) {
            assertThat(invoices.resolve(name)).exists();
            assertThat(generated.out()).containsPattern(name + ": \\d+ lines, \\S+ invoiced \\d+\\.\\d{12} USD");
        }
        assertThat(generated.out()).contains("planted-causes.json: 2 planted causes")
                .containsPattern("stale_price: \\d+\\.\\d{12} USD, From 2026-10-15 openai bills gpt-4o")
                .containsPattern("missing_events: \\d+\\.\\d{12} USD, \\d+ calls of claude-sonnet-4-5");
        long withheld = Long.parseLong(generated.out().replaceAll("(?s).*; (\\d+) records withheld \\(missing_events: \\d+ billed.*", "$1"));
        assertThat(withheld).isPositive();
        assertThat(Files.readAllLines(events).size()).isEqualTo(6000 - (int) withheld);
        assertThat(Files.readString(invoices.resolve("planted-causes.json"))).contains("\"cause\" : \"missing_events\"");

        Run loaded = run("load", "invoice", invoices.resolve(names.get(0)).toString(), invoices.resolve(names.get(1)).toString(),
                invoices.resolve(names.get(2)).toString(), invoices.resolve(names.get(3)).toString(), "--dry-run");
        assertThat(loaded.exit()).as(loaded.err()).isZero();
        assertThat(loaded.out()).contains("aws-focus-2026-10.csv: focus, ").contains("gcp-focus-2026-10.csv: focus, ")
                .doesNotContain("rows of other services left out").contains("(dry run, nothing published)");
    }

    @Test
    void shouldRefuseAnUnknownCauseAndPlantingWithoutInvoices() {
        Run unknown = run("generate", "--month", "2026-10", "--count", "10", "--invoices", "x", "--plant", "stale_prices");
        Run alone = run("generate", "--month", "2026-10", "--count", "10", "--plant", "all");

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown cause 'stale_prices'");
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.err()).contains("--plant and --pricebook go with --invoices DIR");
    }
}
