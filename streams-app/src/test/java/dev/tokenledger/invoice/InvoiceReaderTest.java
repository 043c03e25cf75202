package dev.tokenledger.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.ModelMapping;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Detection, forced formats, every kind of validation error, and line identities across loads. */
class InvoiceReaderTest {

    private static final String FOCUS_HEADER = "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ServiceName,x_UsageType\n";
    private static final String FOCUS_ROW = "1.00,USD,Usage,2026-10-01T00:00:00Z,Claude 3.5 Sonnet (Amazon Bedrock Edition),USE1-Claude3.5Sonnet-input-tokens\n";

    private static List<InvoiceError> errorsOf(String name, String text, InvoiceFormat forced) {
        InvalidInvoiceException e = catchThrowableOfType(InvalidInvoiceException.class,
                () -> InvoiceFixtures.reader().read(name, text, forced));
        assertThat(e).as("%s must be rejected", name).isNotNull();
        return e.errors();
    }

    private static List<String> messages(String name, String text) {
        return errorsOf(name, text, null).stream().map(InvoiceError::toString).toList();
    }

    @ParameterizedTest
    @CsvSource({"openai-costs.json, OPENAI", "anthropic-cost-report.json, ANTHROPIC", "focus-aws.csv, FOCUS",
            "focus-azure.csv, FOCUS", "focus-gcp.csv, FOCUS"})
    void shouldDetectTheFormatFromTheContent(String fixture, InvoiceFormat expected) throws Exception {
        assertThat(InvoiceFixtures.reader().read("renamed.txt", InvoiceFixtures.text(fixture), null).format())
                .isEqualTo(expected);
    }

    @Test
    void shouldReadAForcedFormatAndRejectAFileThatIsNotIt() throws Exception {
        assertThat(InvoiceFixtures.reader().read("x", InvoiceFixtures.text("anthropic-cost-report.json"), InvoiceFormat.ANTHROPIC)
                .lines()).hasSize(9);
        assertThat(InvoiceFormat.named("Anthropic")).isEqualTo(InvoiceFormat.ANTHROPIC);
        assertThatThrownBy(() -> InvoiceFormat.named("csv")).hasMessageContaining("openai, anthropic, focus");

        assertThat(errorsOf("costs.json", InvoiceFixtures.text("openai-costs.json"), InvoiceFormat.ANTHROPIC))
                .extracting(InvoiceError::toString)
                .contains("costs.json: item [0].data[0]: starting_at missing",
                        "costs.json: item [0].data[0].results[0]: currency missing");
        assertThat(errorsOf("aws.csv", InvoiceFixtures.text("focus-aws.csv"), InvoiceFormat.OPENAI))
                .extracting(InvoiceError::toString)
                .containsExactly("aws.csv: not JSON: the OpenAI and Anthropic formats are JSON documents");
        assertThat(errorsOf("costs.json", InvoiceFixtures.text("openai-costs.json"), InvoiceFormat.FOCUS))
                .extracting(InvoiceError::toString).anyMatch(e -> e.contains("the header lacks column(s) [BilledCost"));
    }

    @Test
    void shouldRefuseAFileItCannotTellApart() {
        assertThat(messages("notes.txt", "provider,amount\nopenai,1\n")).singleElement().asString()
                .startsWith("notes.txt: cannot tell the format").contains("--format openai|anthropic|focus");
        assertThat(messages("other.json", "{\"object\": \"list\", \"items\": []}")).singleElement().asString()
                .startsWith("other.json: cannot tell the format");
        assertThat(messages("broken.json", "{\"object\": \"page\", \"data\": [")).singleElement().asString()
                .startsWith("broken.json: not valid JSON at line 1");
    }

    @Test
    void shouldPlaceEveryOpenAiErrorByItemAndReadNothing() {
        String page = """
                {"object": "page", "has_more": false, "data": [
                  {"object": "bucket", "start_time": 1790812800, "results": [
                    {"amount": {"value": 1.5, "currency": "usd"}, "line_item": "gpt-4o, input"}]},
                  {"object": "bucket", "start_time": "yesterday", "results": []},
                  {"object": "bucket", "start_time": 1790899200, "results": [
                    {"amount": {"value": 1.5, "currency": "usd"}, "line_item": "gpt-4o, input"},
                    {"amount": {"value": "12x", "currency": "usd"}, "line_item": "gpt-4o, output"},
                    {"amount": {"value": 0.1234567890123, "currency": "usd"}, "line_item": "gpt-4o, output"},
                    {"amount": {"value": 2, "currency": "eur"}, "line_item": "gpt-4o, output"},
                    {"amount": {"value": 2, "currency": "usd"}}]}]}""";

        assertThat(messages("invoice.json", page)).containsExactly(
                "invoice.json: item data[1]: start_time \"yesterday\" is not epoch seconds",
                "invoice.json: item data[2].results[1]: amount.value \"12x\" is not a decimal",
                "invoice.json: item data[2].results[2]: amount.value 0.1234567890123 has more than 12 decimal places",
                "invoice.json: item data[2].results[3]: currency \"eur\": only USD costs are read",
                "invoice.json: item data[2].results[4]: line_item missing");
    }

    @Test
    void shouldRefuseAnExportWhoseLastPageSaysMoreFollow() {
        String page = "{\"object\": \"page\", \"data\": [], \"has_more\": true, \"next_page\": \"page_x\"}";
        assertThat(messages("openai.json", page)).singleElement().asString()
                .startsWith("openai.json: the page has has_more: true, so the export is incomplete");
    }

    @Test
    void shouldPlaceEveryAnthropicErrorByItem() {
        String report = """
                {"has_more": false, "data": [
                  {"starting_at": "2026-10-01", "results": []},
                  {"starting_at": "2026-10-02T00:00:00Z", "results": [
                    {"currency": "USD", "amount": "12x", "cost_type": "tokens", "token_type": "output_tokens", "model": "claude-sonnet-4-20250514"},
                    {"currency": "USD", "amount": "1.5", "cost_type": "tokens", "model": "claude-sonnet-4-20250514"},
                    {"currency": "USD", "amount": "0.00000000001", "cost_type": "tokens", "token_type": "output_tokens", "model": "claude-sonnet-4-20250514"},
                    {"currency": "USD", "amount": "1", "token_type": "output_tokens"}]}]}""";

        assertThat(messages("report.json", report)).containsExactly(
                "report.json: item data[0]: starting_at \"2026-10-01\" is not an RFC 3339 time",
                "report.json: item data[1].results[0]: amount \"12x\" is not a decimal",
                "report.json: item data[1].results[1]: token_type missing for cost_type \"tokens\"",
                "report.json: item data[1].results[2]: amount \"0.00000000001\" (cents) is not an exact USD amount:"
                        + " amount 0.0000000000001 has more than 12 decimal places",
                "report.json: item data[1].results[3]: cost_type missing");
    }

    @Test
    void shouldPlaceEveryFocusErrorByLineAndReadNothing() {
        StringBuilder csv = new StringBuilder(FOCUS_HEADER);
        for (int line = 2; line <= 16; line++) {
            csv.append(FOCUS_ROW);
        }
        csv.append(",USD,Usage,2026-10-01T00:00:00Z,Amazon Bedrock,USE1-NovaPro-input-tokens\n")            // 17
                .append("1.2.3,USD,Usage,2026-10-01T00:00:00Z,Amazon Bedrock,USE1-NovaPro-input-tokens\n")  // 18
                .append("1.00,EUR,Usage,2026-10-01T00:00:00Z,Amazon Bedrock,USE1-NovaPro-input-tokens\n")   // 19
                .append("1.00,USD,Refund,2026-10-01T00:00:00Z,Amazon Bedrock,USE1-NovaPro-input-tokens\n")  // 20
                .append("1.00,USD,Usage,01/10/2026,Amazon Bedrock,USE1-NovaPro-input-tokens\n")             // 21
                .append("1.00,USD,Usage\n");                                                                 // 22

        assertThat(messages("focus.csv", csv.toString())).containsExactly(
                "focus.csv:22: expected 6 columns as in the header, found 3",
                "focus.csv:17: BilledCost missing",
                "focus.csv:18: BilledCost '1.2.3' is not a plain decimal such as 12.50 or -3 (no exponent, + sign, separators or currency symbol)",
                "focus.csv:19: BillingCurrency \"EUR\": only USD invoices are read",
                "focus.csv:20: ChargeCategory \"Refund\" is not one of Usage, Purchase, Tax, Credit, Adjustment",
                "focus.csv:21: ChargePeriodStart \"01/10/2026\" is not a UTC date-time");
        assertThat(messages("focus.csv", "BilledCost,ChargePeriodStart\n1,2026-10-01\n")).singleElement().asString()
                .isEqualTo("focus.csv:1: the header lacks column(s) [BillingCurrency, ChargeCategory, ServiceName]");
    }

    @Test
    void shouldGiveTheSameIdsWhenTheSameFileIsLoadedTwice() throws Exception {
        for (String fixture : List.of("openai-costs.json", "anthropic-cost-report.json", "focus-aws.csv", "focus-azure.csv", "focus-gcp.csv")) {
            List<String> first = InvoiceFixtures.reader().read(InvoiceFixtures.path(fixture), null).lines().stream()
                    .map(InvoiceLine::getLineId).toList();
            List<String> second = InvoiceFixtures.reader().read(InvoiceFixtures.path(fixture), null).lines().stream()
                    .map(InvoiceLine::getLineId).toList();
            assertThat(second).as(fixture).isEqualTo(first).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldLetACorrectedInvoiceReplaceTheLinesItRestates() throws Exception {
        String original = InvoiceFixtures.text("anthropic-cost-report.json");
        // The provider restates 1 October: the uncached input and the Opus line change; nothing else does.
        String corrected = original.replace("\"amount\": \"123.45\"", "\"amount\": \"120.05\"")
                .replace("\"amount\": \"310.5\"", "\"amount\": \"0\"");
        Map<String, InvoiceLine> topic = new LinkedHashMap<>(); // a compacted topic: the latest value per key
        for (String text : List.of(original, corrected)) {
            for (InvoiceLine line : InvoiceFixtures.reader().read("report.json", text, null).lines()) {
                topic.put(line.getLineId(), line);
            }
        }

        assertThat(topic).hasSize(9);
        BigDecimal total = topic.values().stream().map(InvoiceLine::getAmountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(total).isEqualByComparingTo("28.321042"); // 31.460042 - 0.034 - 3.105
    }

    @Test
    void shouldNumberRowsTheSourceDoesNotTellApart() throws Exception {
        InvoiceFile file = InvoiceFixtures.reader().read("twice.csv", FOCUS_HEADER + FOCUS_ROW + FOCUS_ROW, null);
        assertThat(file.lines()).extracting(InvoiceLine::getLineId)
                .satisfiesExactly(first -> assertThat(first).doesNotContain("#"), second -> assertThat(second).endsWith("|#2"));
    }

    @Test
    void shouldMapByTheOverrideFileFirst() throws Exception {
        ModelOverrides overrides = ModelOverrides.parse("overrides.csv", """
                provider,billed_model,model
                bedrock,Claude Opus 4.1 (Amazon Bedrock Edition),anthropic.claude-opus-4-1-20250805-v1:0
                openai,GPT-4O-2024-08-06,gpt-4o-2024-08-06
                """);

        InvoiceFile aws = InvoiceFixtures.reader(overrides).read(InvoiceFixtures.path("focus-aws.csv"), null);
        assertThat(aws.lines().get(9)).satisfies(line -> {
            assertThat(line.getModel()).isEqualTo("anthropic.claude-opus-4-1-20250805-v1:0");
            assertThat(line.getMapping()).isEqualTo(ModelMapping.override);
        });
        assertThat(InvoiceFixtures.reader(overrides).read(InvoiceFixtures.path("openai-costs.json"), null).lines().get(0)
                .getModel()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void shouldRefuseAnOverrideFileWithBadLines() {
        InvalidInvoiceException e = catchThrowableOfType(InvalidInvoiceException.class, () -> ModelOverrides.parse("o.csv", """
                provider,billed_model,model
                openai,gpt-4o-2024-08-06,
                openai,x,y
                OpenAI,X,z
                """));
        assertThat(e.errors()).extracting(InvoiceError::toString)
                .containsExactly("o.csv:2: model missing", "o.csv:4: a second override for OpenAI X");
    }
}
