package dev.tokenledger.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.ChargeClass;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spelling rules, one by one, and the reading of OpenAI line items and cloud meters. */
class BilledNamesTest {

    @ParameterizedTest
    @CsvSource({"gpt-4o-2024-08-06, gpt-4o", "claude-sonnet-4-20250514, claude-sonnet-4", "claude-sonnet-4@20250514, claude-sonnet-4"})
    void shouldStripDatedSnapshots(String dated, String undated) {
        assertThat(BilledNames.undated(dated)).isEqualTo(undated);
    }

    @Test
    void shouldLeaveUndatedNamesAlone() {
        assertThat(BilledNames.undated("gpt-4o")).isNull();
        assertThat(BilledNames.undated("gpt-4.1-mini")).isNull();
    }

    @ParameterizedTest
    @CsvSource({"Claude 3.5 Sonnet (Amazon Bedrock Edition), anthropic.claude-3-5-sonnet-20240620-v1:0",
            "Claude 3.5 Sonnet v2 (Amazon Bedrock Edition), anthropic.claude-3-5-sonnet-20241022-v2:0",
            "Claude Sonnet 4 (Amazon Bedrock Edition), anthropic.claude-sonnet-4-20250514-v1:0",
            "Llama 3.1 70B Instruct (Amazon Bedrock Edition), meta.llama3-1-70b-instruct-v1:0",
            "NovaPro, amazon.nova-pro-v1:0"})
    void shouldMatchBedrockServiceNamesWithModelIds(String serviceName, String modelId) {
        assertThat(BilledNames.bedrockCompact(serviceName)).isEqualTo(BilledNames.bedrockCompact(modelId));
    }

    @Test
    void shouldTellBedrockModelVersionsApart() {
        assertThat(BilledNames.bedrockCompact("anthropic.claude-3-5-sonnet-20241022-v2:0"))
                .isNotEqualTo(BilledNames.bedrockCompact("Claude 3.5 Sonnet (Amazon Bedrock Edition)"));
    }

    @Test
    void shouldSpellAzureMeterWordsAsModelNames() {
        assertThat(BilledNames.azureModel("gpt 4o mini")).isEqualTo("gpt-4o-mini");
        assertThat(BilledNames.azureModel("4o mini")).isEqualTo("gpt-4o-mini");
        assertThat(BilledNames.azureSnapshot("gpt-4o-0806")).containsExactly("gpt-4o", "08", "06");
        assertThat(BilledNames.azureSnapshot("gpt-4o-mini")).isNull();
        assertThat(BilledNames.vertexModel("Gemini 2.5 Flash")).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void shouldReadOpenAiLineItems() {
        assertThat(OpenAiLineItem.parse("gpt-4o-mini-2024-07-18, cached input"))
                .isEqualTo(new OpenAiLineItem("gpt-4o-mini-2024-07-18", ChargeClass.cache_read, null, false, List.of()));
        assertThat(OpenAiLineItem.parse("priority | gpt-5, output, long context"))
                .isEqualTo(new OpenAiLineItem("gpt-5", ChargeClass.output, "priority", false, List.of("long context")));
        assertThat(OpenAiLineItem.parse("batch | gpt-4o, output"))
                .isEqualTo(new OpenAiLineItem("gpt-4o", ChargeClass.output, null, true, List.of()));
        assertThat(OpenAiLineItem.parse("gpt-4o-audio-preview, cached audio input"))
                .isEqualTo(new OpenAiLineItem("gpt-4o-audio-preview", ChargeClass.cache_read, null, false, List.of("audio")));
        assertThat(OpenAiLineItem.parse("web search tool calls"))
                .isEqualTo(new OpenAiLineItem(null, ChargeClass.fees, null, false, List.of()));
        assertThat(OpenAiLineItem.parse("gpt-image-1, image generation").chargeClass()).isEqualTo(ChargeClass.other);
    }

    @ParameterizedTest
    @CsvSource({"USE1-Claude3.5Sonnet-input-tokens, uncached_input", "USE1-Claude3.5Sonnet-cache-read-input-token-count, cache_read",
            "USE1-Claude3.5Sonnet-cache-write-input-token-count, cache_write", "gpt-4o-0806-Outp-glbl 1M Tokens, output",
            "gpt 4o mini cached inp glbl, cache_read", "Gemini 2.5 Pro Thinking Text Output - Predictions, reasoning",
            "Grounding with Google Search requests, fees", "Provisioned Throughput Unit hours, other"})
    void shouldReadTheChargeClassOfAMeter(String meter, ChargeClass expected) {
        assertThat(FocusMeter.read(meter).chargeClass()).isEqualTo(expected);
    }

    @Test
    void shouldReadModelWordsBatchAndTierOfAMeter() {
        assertThat(FocusMeter.modelWords("gpt-4o-0806-Inp-glbl 1M Tokens")).isEqualTo("gpt-4o-0806");
        assertThat(FocusMeter.modelWords("gpt 4o mini cached inp glbl")).isEqualTo("gpt 4o mini");
        assertThat(FocusMeter.read("USE1-Claude3.5Sonnet-batch-input-tokens").batch()).isTrue();
        assertThat(FocusMeter.read("USE1-NovaPro-input-tokens-priority").serviceTier()).isEqualTo("priority");
        assertThat(FocusServices.usageTypeModel("USE1-NovaPro-input-tokens")).isEqualTo("NovaPro");
        assertThat(FocusServices.usageTypeModel("")).isNull();
    }

    @Test
    void shouldMultiplyBlocksOutOfQuantities() {
        assertThat(FocusQuantity.of("2.5", "1M Tokens", "", "", "")).isEqualTo(
                new FocusQuantity.Quantity(new java.math.BigDecimal("2500000.000000000000"), "tokens"));
        assertThat(FocusQuantity.of("12", "1K tokens", "", "", "").amount()).isEqualByComparingTo("12000");
        assertThat(FocusQuantity.of("", "", "300", "Tokens", "1000").amount()).isEqualByComparingTo("300000");
        assertThat(FocusQuantity.of("24", "Hrs", "", "", "")).isEqualTo(
                new FocusQuantity.Quantity(new java.math.BigDecimal("24.000000000000"), "Hrs"));
        assertThat(FocusQuantity.of("", "", "", "", "1000")).isNull();
    }
}
