package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code price --input-format}: a foreign file priced offline, its rejects as error lines with their locators. */
class PriceInputFormatTest {

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
    void shouldPriceAnAnthropicUsageFileAsTheNativeEventOfTheReadme(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("usage.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"request_id\":\"3f1b7c9e\",\"timestamp\":\"2026-11-02T10:15:30.123Z\",\"model\":\"claude-sonnet-4-5\","
                        + "\"response_model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":2410,\"cache_read_input_tokens\":36000,"
                        + "\"cache_creation_input_tokens\":9800,\"cache_creation\":{\"ephemeral_1h_input_tokens\":6000},\"output_tokens\":1184}}",
                "{\"request_id\":\"broken\",\"timestamp\":\"2026-11-02T10:15:30Z\",\"model\":\"claude-sonnet-4-5\"}",
                "not json at all",
                ""));

        Run r = run("price", "--input-format", "anthropic-usage", file.toString());

        assertThat(r.exit()).isEqualTo(1);
        List<JsonNode> results = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            results.add(new ObjectMapper().readTree(line));
        }
        assertThat(results).hasSize(1);
        assertThat(results.get(0).get("total_cost_usd").asText()).isEqualTo("0.072540000000"); // the README's example, to the digit
        assertThat(results.get(0).get("costs").get("cache_write").asText()).isEqualTo("0.036750000000");
        assertThat(r.err()).contains("error: line 2: field 'usage': missing_usage: ")
                .contains("error: line 3: undecodable: not valid JSON")
                .contains("2 of 3 anthropic-usage records rejected");
    }

    @Test
    void shouldCountIgnoredSpansAndRefuseAnUnknownFormat(@TempDir Path dir) throws Exception {
        Path traces = dir.resolve("traces.json");
        try (var in = getClass().getResourceAsStream("/adapters/otlp-json/traces.json")) {
            Files.write(traces, in.readAllBytes());
        }
        Run r = run("price", "--input-format", "otlp-json", traces.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip().split("\n")).hasSize(2);
        assertThat(r.err()).contains("2 spans ignored (not GenAI client calls)");

        Run unknown = run("price", "--input-format", "xml", traces.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown input format 'xml'").contains("otlp-json");
    }
}
