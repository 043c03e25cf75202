package dev.tokenledger.price;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PriceEntry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LiteLlmPriceMapTest {

    private static LiteLlmPriceMap.Import shipped;

    @BeforeAll
    static void importShippedMap() throws Exception {
        try (InputStream in = LiteLlmPriceMapTest.class.getResourceAsStream(PriceBooks.DEFAULT_RESOURCE)) {
            shipped = LiteLlmPriceMap.read(in);
        }
    }

    private static Optional<PriceEntry> find(String provider, String model, String region) {
        return shipped.entries().stream()
                .filter(e -> e.getProvider().equals(provider) && e.getModel().equals(model)
                        && Objects.equals(e.getRegion(), region))
                .findFirst();
    }

    private static LiteLlmPriceMap.Import read(String json) {
        return LiteLlmPriceMap.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldMapLiteLlmProvidersToOpenTelemetryNames() {
        assertThat(LiteLlmPriceMap.providerName("openai")).isEqualTo("openai");
        assertThat(LiteLlmPriceMap.providerName("anthropic")).isEqualTo("anthropic");
        assertThat(LiteLlmPriceMap.providerName("bedrock")).isEqualTo("aws.bedrock");
        assertThat(LiteLlmPriceMap.providerName("bedrock_converse")).isEqualTo("aws.bedrock");
        assertThat(LiteLlmPriceMap.providerName("vertex_ai-language-models")).isEqualTo("gcp.vertex_ai");
        assertThat(LiteLlmPriceMap.providerName("vertex_ai-anthropic_models")).isEqualTo("gcp.vertex_ai");
        assertThat(LiteLlmPriceMap.providerName("gemini")).isEqualTo("gcp.gemini");
        assertThat(LiteLlmPriceMap.providerName("azure")).isEqualTo("azure.ai.openai");
        assertThat(LiteLlmPriceMap.providerName("azure_ai")).isEqualTo("azure.ai.inference");
        assertThat(LiteLlmPriceMap.providerName("mistral")).isEqualTo("mistral_ai");
        assertThat(LiteLlmPriceMap.providerName("xai")).isEqualTo("x_ai");
        assertThat(LiteLlmPriceMap.providerName("cohere_chat")).isEqualTo("cohere");
        assertThat(LiteLlmPriceMap.providerName("groq")).isEqualTo("groq");
        assertThat(LiteLlmPriceMap.providerName("deepseek")).isEqualTo("deepseek");
        assertThat(LiteLlmPriceMap.providerName("watsonx")).isEqualTo("ibm.watsonx.ai");
        assertThat(LiteLlmPriceMap.providerName("together_ai")).isEqualTo("together_ai");
    }

    @Test
    void shouldStripGeminiPrefixAndFileUnderGeminiProvider() {
        PriceEntry flash = find("gcp.gemini", "gemini-2.5-flash", null).orElseThrow();

        assertThat(flash.getStandard().getInput()).isEqualTo(new BigDecimal("0.000000300000000000"));
        assertThat(flash.getStandard().getReasoning()).isEqualTo(new BigDecimal("0.000002500000000000"));
        assertThat(flash.getSource()).isEqualTo("litellm");
        assertThat(flash.getEffectiveFrom()).isEqualTo(Instant.EPOCH);
        // The same model name without prefix is Vertex AI's entry, not Gemini API's.
        assertThat(find("gcp.vertex_ai", "gemini-2.5-flash", null)).isPresent();
    }

    @Test
    void shouldImportBedrockCrossRegionIdsAsRegionalEntries() {
        PriceEntry us = find("aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", "us").orElseThrow();
        PriceEntry global = find("aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", null).orElseThrow();

        assertThat(us.getStandard().getInput()).isEqualByComparingTo("0.0000033");
        assertThat(global.getStandard().getInput()).isEqualByComparingTo("0.000003");
        assertThat(find("aws.bedrock", "anthropic.claude-v2:1", "us-east-1")).isPresent();
    }

    @Test
    void shouldImportAzureDataZonesAsRegions() {
        assertThat(find("azure.ai.openai", "gpt-4o-2024-08-06", "us").orElseThrow().getStandard().getInput())
                .isEqualByComparingTo("0.00000275");
        assertThat(find("azure.ai.openai", "gpt-4o-2024-08-06", null).orElseThrow().getStandard().getInput())
                .isEqualByComparingTo("0.0000025");
    }

    @Test
    void shouldMapCacheBatchFlexPriorityTiersAndFees() {
        PriceEntry opus = find("anthropic", "claude-opus-4-1", null).orElseThrow();
        assertThat(opus.getStandard().getCacheRead()).isEqualByComparingTo("0.0000015");
        assertThat(opus.getStandard().getCacheWrite5m()).isEqualByComparingTo("0.00001875");
        assertThat(opus.getStandard().getCacheWrite1h()).isEqualByComparingTo("0.00003");

        PriceEntry gpt4o = find("openai", "gpt-4o", null).orElseThrow();
        assertThat(gpt4o.getBatch().getInput()).isEqualByComparingTo("0.00000125");
        assertThat(gpt4o.getBatch().getOutput()).isEqualByComparingTo("0.000005");
        assertThat(gpt4o.getPriority().getCacheRead()).isEqualByComparingTo("0.000002125");
        assertThat(gpt4o.getFlex()).isNull();

        PriceEntry gpt5 = find("openai", "gpt-5", null).orElseThrow();
        assertThat(gpt5.getFlex().getInput()).isEqualByComparingTo("0.000000625");

        PriceEntry sonnet = find("anthropic", "claude-sonnet-4-5", null).orElseThrow();
        assertThat(sonnet.getLongContextTiers()).hasSize(1);
        assertThat(sonnet.getLongContextTiers().get(0).getAboveInputTokens()).isEqualTo(200_000L);
        assertThat(sonnet.getLongContextTiers().get(0).getRates().getOutput()).isEqualByComparingTo("0.0000225");
        assertThat(sonnet.getLongContextTiers().get(0).getRates().getCacheWrite5m()).isEqualByComparingTo("0.0000075");
        assertThat(sonnet.getPerCallFees()).containsEntry("web_search", new BigDecimal("0.010000000000"));

        // Search-context fee: the medium size (low 0.03, medium 0.035, high 0.05 per query).
        assertThat(find("openai", "gpt-4o-search-preview", null).orElseThrow().getPerCallFees())
                .containsEntry("web_search", new BigDecimal("0.035000000000"));
    }

    @Test
    void shouldReadNumbersFromTheirDecimalTextNotThroughDouble() {
        // 0.123456789012345678 has 18 significant digits: a double would round it to 0.12345678901234568.
        LiteLlmPriceMap.Import imported = read("""
                {"m": {"litellm_provider": "openai", "mode": "chat",
                       "input_cost_per_token": 0.123456789012345678, "output_cost_per_token": 1e-6}}""");

        PriceEntry m = imported.entries().get(0);
        assertThat(m.getStandard().getInput()).isEqualTo(new BigDecimal("0.123456789012345678"));
        assertThat(m.getStandard().getOutput()).isEqualTo(new BigDecimal("0.000001000000000000"));
    }

    @Test
    void shouldSkipSampleSpecEntriesWithoutTokenPricesAndOverPreciseRates() {
        LiteLlmPriceMap.Import imported = read("""
                {"sample_spec": {"litellm_provider": "one of the providers", "input_cost_per_token": 0.0},
                 "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
                 "tiny": {"litellm_provider": "openai", "input_cost_per_token": 1.0000000000000000001e-6},
                 "ok": {"litellm_provider": "openai", "input_cost_per_token": 1e-6}}""");

        assertThat(imported.entries()).extracting(PriceEntry::getModel).containsExactly("ok");
        assertThat(imported.skipped()).extracting(LiteLlmPriceMap.Skipped::reason)
                .containsExactly("sample_spec", "no_token_prices", "rate_precision:input_cost_per_token");
    }

    @Test
    void shouldKeepThePlainestSpellingOfADuplicate() {
        LiteLlmPriceMap.Import imported = read("""
                {"deepseek/deepseek-chat": {"litellm_provider": "deepseek", "input_cost_per_token": 2.7e-7},
                 "deepseek-chat": {"litellm_provider": "deepseek", "input_cost_per_token": 6e-7}}""");

        assertThat(imported.entries()).singleElement()
                .satisfies(e -> assertThat(e.getStandard().getInput()).isEqualByComparingTo("0.0000006"));
        assertThat(imported.skipped()).containsExactly(
                new LiteLlmPriceMap.Skipped("deepseek/deepseek-chat", "duplicate_of:deepseek-chat"));
    }

    @Test
    void shouldApplyGivenEffectiveFrom() {
        Instant from = Instant.parse("2025-11-21T00:00:00Z");
        LiteLlmPriceMap.Import imported = LiteLlmPriceMap.read(new ByteArrayInputStream(
                "{\"m\": {\"litellm_provider\": \"openai\", \"input_cost_per_token\": 1e-6}}"
                        .getBytes(StandardCharsets.UTF_8)), from);

        assertThat(imported.entries().get(0).getEffectiveFrom()).isEqualTo(from);
    }

    @Test
    void shouldImportEveryPricedEntryOfTheShippedMapIntoAValidBook() {
        assertThat(shipped.entries()).hasSizeGreaterThan(1_400);
        assertThat(shipped.entries()).allSatisfy(e -> assertThat(PriceBook.problemWith(e)).isEmpty());
        Map<String, Long> reasons = shipped.skipped().stream().collect(Collectors.groupingBy(
                s -> s.reason().replaceAll(":.*", ""), Collectors.counting()));
        assertThat(reasons.keySet()).isSubsetOf("sample_spec", "no_token_prices", "provisioned_throughput",
                "duplicate_of");
        assertThat(PriceBook.of(shipped.entries()).size()).isEqualTo(shipped.entries().size());
    }
}
