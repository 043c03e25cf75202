package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintEveryKeyWithItsValueAndSource() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "tokenledger.dedupe.retention=PT12H\nsasl.jaas.config=secret-stuff\n");
        String[] out = new String[2];
        int exit = run(out, "config", "--config", file.toString(), "--set", "tokenledger.budget.partitions=2", "--format", "json");

        assertThat(exit).as(out[1]).isZero();
        Map<String, JsonNode> rows = new HashMap<>();
        new ObjectMapper().readTree(out[0]).get("rows").forEach(r -> rows.put(r.get("key").asText(), r));
        assertThat(rows.get("tokenledger.dedupe.retention").get("value").asText()).isEqualTo("PT12H");
        assertThat(rows.get("tokenledger.dedupe.retention").get("source").asText()).isEqualTo("file " + file);
        assertThat(rows.get("tokenledger.budget.partitions").get("source").asText()).isEqualTo("command line");
        assertThat(rows.get("tokenledger.validate.max-event-age").get("value").asText()).isEqualTo("P62D");
        assertThat(rows.get("tokenledger.validate.max-event-age").get("source").asText()).isEqualTo("default");
        assertThat(rows.get("tokenledger.topic.usage").get("value").asText()).isEqualTo("llm.usage.v1");
        assertThat(rows.get("sasl.jaas.config").get("value").asText()).isEqualTo("[hidden]");
    }

    @Test
    void shouldNeverPrintACredential() {
        String[] out = new String[2];
        int exit = run(out, "config",
                "--set", "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\" password=\"kafka-pw-1\";",
                "--set", "ssl.truststore.password=store-pw-2",
                "--set", "basic.auth.user.info=registry:registry-pw-3",
                "--set", "schema.registry.url=https://registry:url-pw-4@registry.example.com",
                "--set", "tokenledger.http.token=operator-token-5",
                "--set", "tokenledger.http.budgets-token=gateway-token-6",
                "--set", "security.protocol=SASL_SSL");

        assertThat(exit).as(out[1]).isZero();
        assertThat(out[0]).doesNotContain("kafka-pw-1", "store-pw-2", "registry-pw-3", "url-pw-4", "operator-token-5", "gateway-token-6")
                .contains("SASL_SSL").contains("https://registry:[hidden]@registry.example.com")
                .contains("tokenledger.dedupe.retention");
    }

    @Test
    void shouldPrintATableByDefault() {
        String[] out = new String[2];
        assertThat(run(out, "config")).isZero();
        assertThat(out[0]).startsWith("key").contains("tokenledger.runtime.close-timeout").contains("PT30S").contains("default");
    }

    @Test
    void shouldRefuseAnUnknownKeyAsAUsageError() {
        String[] out = new String[2];
        assertThat(run(out, "config", "--set", "tokenledger.rollup.emit-intervall=PT2S")).isEqualTo(2);
        assertThat(out[1]).contains("unknown configuration key tokenledger.rollup.emit-intervall; did you mean tokenledger.rollup.emit-interval?");
    }

    @Test
    void shouldHideTheIngestBearerTokens() {
        String[] out = new String[2];
        assertThat(run(out, "config", "--set", "tokenledger.http.ingest.bearer-tokens=tok-4711,tok-4712")).isZero();
        assertThat(out[0]).contains("tokenledger.http.ingest.bearer-tokens").contains("[hidden]").doesNotContain("tok-4711");
    }

    private static int run(String[] output, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new TokenLedger()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        output[0] = out.toString();
        output[1] = err.toString();
        return exit;
    }
}
