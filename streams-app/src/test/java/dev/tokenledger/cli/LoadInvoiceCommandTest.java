package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code load invoice} up to the producer: validation, the all-or-nothing rule, keys and the wire format. No broker. */
class LoadInvoiceCommandTest {

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

    private static String fixture(String name) {
        try {
            return Path.of(LoadInvoiceCommandTest.class.getResource("/invoices/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldValidateEveryFileAndSayWhatItHolds() {
        Run r = run("load", "invoice", fixture("openai-costs.json"), fixture("anthropic-cost-report.json"),
                fixture("focus-aws.csv"), "--pricebook", fixture("pricebook.yaml"), "--dry-run");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("openai-costs.json: openai, 9 lines, 46.616854321012 USD, 2 unmapped")
                .contains("anthropic-cost-report.json: anthropic, 9 lines, 31.460042000000 USD, 2 unmapped")
                .contains("focus-aws.csv: focus, 10 lines, 5.295001500000 USD, 2 unmapped; rows of other services left out:"
                        + " Amazon Elastic Compute Cloud (1)")
                .contains("28 invoice lines valid (dry run, nothing published)");
    }

    @Test
    void shouldPublishNothingWhenAnyFileIsInvalid(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("focus.csv");
        Files.writeString(bad, "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ServiceName\n"
                + "12x,USD,Usage,2026-10-01T00:00:00Z,Azure OpenAI\n");

        // An unreachable broker: reaching it would hang; the command must stop before it.
        Run r = run("load", "invoice", fixture("openai-costs.json"), bad.toString(), "--pricebook", fixture("pricebook.yaml"),
                "--bootstrap-servers", "127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("1 error (nothing published)")
                .contains("focus.csv:2: BilledCost '12x' is not a plain decimal");
        assertThat(r.out()).doesNotContain("published");
    }

    @Test
    void shouldForceTheFormatAndRefuseAnUnknownOne() {
        Run forced = run("load", "invoice", fixture("openai-costs.json"), "--format", "anthropic",
                "--pricebook", fixture("pricebook.yaml"), "--dry-run");
        assertThat(forced.exit()).isEqualTo(1);
        assertThat(forced.err()).contains("openai-costs.json: item [0].data[0]: starting_at missing");

        Run unknown = run("load", "invoice", fixture("openai-costs.json"), "--format", "pdf", "--dry-run");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown invoice format 'pdf'");
    }

    @Test
    void shouldApplyModelOverridesAndRefuseABadOverrideFile(@TempDir Path dir) throws Exception {
        Path overrides = dir.resolve("overrides.csv");
        Files.writeString(overrides, "provider,billed_model,model\nanthropic,claude-opus-4-1-20250805,claude-opus-4-1\n");
        Run ok = run("load", "invoice", fixture("anthropic-cost-report.json"), "--model-overrides", overrides.toString(),
                "--pricebook", fixture("pricebook.yaml"), "--dry-run");
        assertThat(ok.out()).contains("9 lines, 31.460042000000 USD, 1 unmapped");

        Files.writeString(overrides, "provider,billed_model,model\nanthropic,,claude-opus-4-1\n");
        Run bad = run("load", "invoice", fixture("anthropic-cost-report.json"), "--model-overrides", overrides.toString(),
                "--pricebook", fixture("pricebook.yaml"), "--dry-run");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("overrides.csv:2: billed_model missing");
    }

    @Test
    void shouldKeepOneFileForTheOtherKinds() {
        Run r = run("load", "budgets", "a.csv", "b.csv", "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("load budgets takes one FILE, got 2");
    }

    @Test
    void shouldKeyRecordsByLineIdAndWriteThemInTheWireFormat() throws Exception {
        InvoiceLoad.Loaded loaded = InvoiceLoad.read(List.of(Path.of(fixture("focus-azure.csv"))), null, null,
                Path.of(fixture("pricebook.yaml")));
        String url = "mem://invoices-" + UUID.randomUUID();
        Topics topics = new Topics(TokenLedgerConfig.of(Map.of(TokenLedgerConfig.SCHEMA_REGISTRY_URL, url)),
                SchemaRegistries.fromUrl(url));

        assertThat(topics.invoices.name()).isEqualTo("llm.invoices.v1");
        assertThat(topics.compactedNames()).contains("llm.invoices.v1");
        for (KeyValue<String, InvoiceLine> record : loaded.records()) {
            assertThat(record.key).isEqualTo(record.value.getLineId());
            byte[] wire = topics.invoices.valueSerde().serializer().serialize(topics.invoices.name(), record.value);
            assertThat(topics.invoices.valueSerde().deserializer().deserialize(topics.invoices.name(), wire))
                    .isEqualTo(record.value);
        }
        assertThat(loaded.records()).hasSize(5);
    }
}
