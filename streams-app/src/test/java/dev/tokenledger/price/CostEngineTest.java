package dev.tokenledger.price;

import static dev.tokenledger.price.UsageEvents.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per pricing rule of docs/pricing.md against the shipped LiteLLM book (copy of 2025-11-21),
 * with the amount worked out by hand from the providers' published per-million-token prices.
 */
class CostEngineTest {

    private static PricingResult price(UsageEvent.Builder event) {
        return CostEngine.price(event.build(), DefaultBook.BOOK);
    }

    private static Money usd(String amount) {
        return Money.parse(amount);
    }

    @Nested
    class CacheTokens {

        @Test
        void shouldPriceCacheWritesWithFiveMinuteAndOneHourSplit() {
            // claude-opus-4-1: input $15/M, cache read $1.50/M, 5m write $18.75/M, 1h write $30/M, output $75/M.
            // 10,000 input = 2,000 cache reads + 3,000 cache writes (1,000 of them 1h) + 5,000 uncached.
            // uncached 5,000 x 0.000015 = 0.075; reads 2,000 x 0.0000015 = 0.003;
            // writes 2,000 x 0.00001875 = 0.0375 + 1,000 x 0.00003 = 0.03 -> 0.0675; output 500 x 0.000075 = 0.0375.
            PricingResult r = price(call("anthropic", "claude-opus-4-1").setInputTokens(10_000)
                    .setCacheReadInputTokens(2_000).setCacheCreationInputTokens(3_000)
                    .setCacheCreation1hInputTokens(1_000).setOutputTokens(500));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.075"));
            assertThat(r.cacheRead()).isEqualTo(usd("0.003"));
            assertThat(r.cacheWrite()).isEqualTo(usd("0.0675"));
            assertThat(r.output()).isEqualTo(usd("0.0375"));
            assertThat(r.total()).isEqualTo(usd("0.183"));
            assertThat(r.flags()).isEmpty();
        }

        @Test
        void shouldPriceCacheReadsAtCacheRateNotInputRate() {
            // gpt-4o: input $2.50/M, cached input $1.25/M, output $10/M.
            // 1,000 input of which 800 cached: 200 x 0.0000025 = 0.0005; 800 x 0.00000125 = 0.001; 100 x 0.00001 = 0.001.
            PricingResult r = price(call("openai", "gpt-4o").setInputTokens(1_000).setCacheReadInputTokens(800)
                    .setOutputTokens(100));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.0005"));
            assertThat(r.cacheRead()).isEqualTo(usd("0.001"));
            assertThat(r.total()).isEqualTo(usd("0.0025"));
        }

        @Test
        void shouldPriceOneHourWritesAtFiveMinutePriceWhenBookHasNoOneHourPrice() {
            // claude-sonnet-4-5 in this book has a 5m write price ($3.75/M) but no 1h price:
            // 1,000 1h writes x 0.00000375 = 0.00375, flagged.
            PricingResult r = price(call("anthropic", "claude-sonnet-4-5").setInputTokens(1_000)
                    .setCacheCreationInputTokens(1_000).setCacheCreation1hInputTokens(1_000));

            assertThat(r.cacheWrite()).isEqualTo(usd("0.00375"));
            assertThat(r.flags()).containsExactly(PricingFlag.CACHE_WRITE_1H_FALLBACK);
        }

        @Test
        void shouldFallBackToInputPriceWhenBookHasNoCachePrices() {
            // mistral-large-latest: input $2/M, no cache prices. 300 reads + 200 writes at 0.000002 = 0.0006 + 0.0004.
            PricingResult r = price(call("mistral_ai", "mistral-large-latest").setInputTokens(1_000)
                    .setCacheReadInputTokens(300).setCacheCreationInputTokens(200));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.001"));
            assertThat(r.cacheRead()).isEqualTo(usd("0.0006"));
            assertThat(r.cacheWrite()).isEqualTo(usd("0.0004"));
            assertThat(r.flagNames()).containsExactly("cache_read_fallback", "cache_write_fallback");
        }

        @Test
        void shouldNotFlagMissingCachePriceWhenEventHasNoCacheTokens() {
            PricingResult r = price(call("mistral_ai", "mistral-large-latest").setInputTokens(1_000).setOutputTokens(10));

            assertThat(r.flags()).isEmpty();
        }
    }

    @Nested
    class Reasoning {

        @Test
        void shouldPriceReasoningAtSeparateReasoningPrice() {
            // gemini-2.5-flash-preview-04-17 (Gemini API): output $0.60/M, thinking output $3.50/M.
            // 1,000 output of which 700 reasoning: 300 x 0.0000006 = 0.00018; 700 x 0.0000035 = 0.00245.
            PricingResult r = price(call("gcp.gemini", "gemini-2.5-flash-preview-04-17").setOutputTokens(1_000)
                    .setReasoningOutputTokens(700));

            assertThat(r.output()).isEqualTo(usd("0.00018"));
            assertThat(r.reasoning()).isEqualTo(usd("0.00245"));
            assertThat(r.total()).isEqualTo(usd("0.00263"));
        }

        @Test
        void shouldPriceGeminiFlashReasoningAtItsReasoningPrice() {
            // gemini-2.5-flash: input $0.30/M, output and reasoning $2.50/M.
            // 2,000 input x 0.0000003 = 0.0006; 400 plain output + 600 reasoning at 0.0000025 = 0.001 + 0.0015.
            PricingResult r = price(call("gcp.gemini", "gemini-2.5-flash").setInputTokens(2_000).setOutputTokens(1_000)
                    .setReasoningOutputTokens(600));

            assertThat(r.output()).isEqualTo(usd("0.001"));
            assertThat(r.reasoning()).isEqualTo(usd("0.0015"));
            assertThat(r.total()).isEqualTo(usd("0.0031"));
        }

        @Test
        void shouldPriceAllOutputAtOutputPriceWhenBookHasNoReasoningPrice() {
            // o3: output $8/M and no separate reasoning price: 5,000 output (4,000 reasoning) x 0.000008 = 0.04,
            // reported as 0.008 plain output + 0.032 reasoning; never billed twice.
            PricingResult r = price(call("openai", "o3").setOutputTokens(5_000).setReasoningOutputTokens(4_000));

            assertThat(r.output()).isEqualTo(usd("0.008"));
            assertThat(r.reasoning()).isEqualTo(usd("0.032"));
            assertThat(r.total()).isEqualTo(usd("0.04"));
            assertThat(r.flags()).isEmpty();
        }
    }

    @Nested
    class LongContext {

        @Test
        void shouldKeepBasePricesAtExactlyTheThreshold() {
            // claude-sonnet-4-5, 200,000 input is not above 200k: base prices ($3, $0.30, $15 per M).
            // 150,000 x 0.000003 = 0.45; 50,000 x 0.0000003 = 0.015; 1,000 x 0.000015 = 0.015.
            PricingResult r = price(call("anthropic", "claude-sonnet-4-5").setInputTokens(200_000)
                    .setCacheReadInputTokens(50_000).setOutputTokens(1_000));

            assertThat(r.total()).isEqualTo(usd("0.48"));
            assertThat(r.flags()).isEmpty();
            assertThat(r.price().getTier()).isEqualTo("standard");
        }

        @Test
        void shouldPriceEveryClassAtTierPricesOneTokenAboveTheThreshold() {
            // 200,001 input > 200k: the whole request at $6 input, $0.60 cache read, $22.50 output per M.
            // 150,001 x 0.000006 = 0.900006; 50,000 x 0.0000006 = 0.03; 1,000 x 0.0000225 = 0.0225.
            PricingResult r = price(call("anthropic", "claude-sonnet-4-5").setInputTokens(200_001)
                    .setCacheReadInputTokens(50_000).setOutputTokens(1_000));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.900006"));
            assertThat(r.cacheRead()).isEqualTo(usd("0.03"));
            assertThat(r.output()).isEqualTo(usd("0.0225"));
            assertThat(r.total()).isEqualTo(usd("0.952506"));
            assertThat(r.flags()).containsExactly(PricingFlag.LONG_CONTEXT_TIER);
            assertThat(r.price().getTier()).isEqualTo("standard:above_200000");
        }

        @Test
        void shouldKeepBasePriceForClassWithoutTierPrice() {
            // A tier that prices input only: output keeps its base price.
            // 250,000 x $2/M = 0.5 (tier); 1,000 x $4/M = 0.004 (base output).
            PriceBook book = PriceBook.of(List.of(Entries.entry("acme", "long-1", "1.00", "4.00")
                    .setLongContextTiers(List.of(new LongContextTier(200_000L,
                            Entries.rates("2.00", null))))
                    .build()));

            PricingResult r = CostEngine.price(call("acme", "long-1").setInputTokens(250_000).setOutputTokens(1_000)
                    .build(), book);

            assertThat(r.uncachedInput()).isEqualTo(usd("0.5"));
            assertThat(r.output()).isEqualTo(usd("0.004"));
        }
    }

    @Nested
    class BatchAndServiceTiers {

        @Test
        void shouldUseBookBatchPrices() {
            // gpt-4o Batch API: input $1.25/M, output $5/M. 100,000 x 0.00000125 = 0.125; 10,000 x 0.000005 = 0.05.
            PricingResult r = price(call("openai", "gpt-4o").setBatch(true).setInputTokens(100_000)
                    .setOutputTokens(10_000));

            assertThat(r.total()).isEqualTo(usd("0.175"));
            assertThat(r.flags()).isEmpty();
            assertThat(r.price().getTier()).isEqualTo("batch");
        }

        @Test
        void shouldFallBackToHalfPriceForBatchWithoutBookBatchPrices() {
            // claude-sonnet-4-5 has no batch prices in the book: 50% of $3 and $15 per M.
            // 100,000 x 0.0000015 = 0.15; 10,000 x 0.0000075 = 0.075.
            PricingResult r = price(call("anthropic", "claude-sonnet-4-5").setBatch(true).setInputTokens(100_000)
                    .setOutputTokens(10_000));

            assertThat(r.total()).isEqualTo(usd("0.225"));
            assertThat(r.flags()).containsExactly(PricingFlag.BATCH_FALLBACK);
        }

        @Test
        void shouldHalveTierPricesForBatchAboveLongContextThreshold() {
            // Batch x long context: half of the tier prices ($6 -> $3 input, $22.50 -> $11.25 output per M).
            // 300,000 x 0.000003 = 0.9; 2,000 x 0.00001125 = 0.0225.
            PricingResult r = price(call("anthropic", "claude-sonnet-4-5").setBatch(true).setInputTokens(300_000)
                    .setOutputTokens(2_000));

            assertThat(r.total()).isEqualTo(usd("0.9225"));
            assertThat(r.flags()).containsExactly(PricingFlag.LONG_CONTEXT_TIER, PricingFlag.BATCH_FALLBACK);
            assertThat(r.price().getTier()).isEqualTo("batch:above_200000");
        }

        @Test
        void shouldFallBackToHalfStandardCachePriceWhenBatchPricesLackIt() {
            // gpt-4o batch has input/output but no cached-input price: 50% of $1.25/M.
            // 1,000 cached x 0.000000625 = 0.000625.
            PricingResult r = price(call("openai", "gpt-4o").setBatch(true).setInputTokens(1_000)
                    .setCacheReadInputTokens(1_000));

            assertThat(r.cacheRead()).isEqualTo(usd("0.000625"));
            assertThat(r.flags()).containsExactly(PricingFlag.BATCH_FALLBACK);
        }

        @Test
        void shouldUseFlexPrices() {
            // gpt-5 flex: input $0.625/M, output $5/M. 10,000 x 0.000000625 = 0.00625; 2,000 x 0.000005 = 0.01.
            PricingResult r = price(call("openai", "gpt-5").setServiceTier("flex").setInputTokens(10_000)
                    .setOutputTokens(2_000));

            assertThat(r.total()).isEqualTo(usd("0.01625"));
            assertThat(r.flags()).isEmpty();
            assertThat(r.price().getTier()).isEqualTo("flex");
        }

        @Test
        void shouldFallBackToStandardPricesForFlexOnModelWithoutFlex() {
            // gpt-4o has no flex prices: standard $2.50 and $10 per M. 10,000 x 0.0000025 = 0.025; 2,000 x 0.00001 = 0.02.
            PricingResult r = price(call("openai", "gpt-4o").setServiceTier("flex").setInputTokens(10_000)
                    .setOutputTokens(2_000));

            assertThat(r.total()).isEqualTo(usd("0.045"));
            assertThat(r.flags()).containsExactly(PricingFlag.TIER_FALLBACK);
            assertThat(r.price().getTier()).isEqualTo("standard");
        }

        @Test
        void shouldUsePriorityPrices() {
            // gpt-4o priority: input $4.25/M, output $17/M. 10,000 x 0.00000425 = 0.0425; 2,000 x 0.000017 = 0.034.
            PricingResult r = price(call("openai", "gpt-4o").setServiceTier("priority").setInputTokens(10_000)
                    .setOutputTokens(2_000));

            assertThat(r.total()).isEqualTo(usd("0.0765"));
            assertThat(r.price().getTier()).isEqualTo("priority");
        }

        @Test
        void shouldPriceBatchAtBatchPricesEvenWhenServiceTierIsSet() {
            PricingResult batch = price(call("openai", "gpt-4o").setBatch(true).setServiceTier("priority")
                    .setInputTokens(100_000).setOutputTokens(10_000));

            assertThat(batch.total()).isEqualTo(usd("0.175"));
        }

        @Test
        void shouldPriceUnknownServiceTierAtStandardAndFlagIt() {
            PricingResult r = price(call("openai", "gpt-4o").setServiceTier("scale").setInputTokens(10_000));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.025"));
            assertThat(r.flags()).containsExactly(PricingFlag.TIER_FALLBACK);
        }
    }

    @Nested
    class ModelsAndRegions {

        @Test
        void shouldPriceBedrockCrossRegionIdAtRegionalPrice() {
            // us. profile of Claude Sonnet 4.5 on Bedrock: input $3.30/M (global profile: $3.00/M).
            // 100,000 x 0.0000033 = 0.33.
            PricingResult r = price(call("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                    .setInputTokens(100_000));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.33"));
            assertThat(r.price().getRegion()).isEqualTo("us");
            assertThat(r.price().getModel()).isEqualTo("anthropic.claude-sonnet-4-5-20250929-v1:0");
            assertThat(r.flags()).isEmpty();
        }

        @Test
        void shouldPriceBedrockGlobalProfileAtGlobalPrice() {
            // 100,000 x 0.000003 = 0.3.
            PricingResult r = price(call("aws.bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")
                    .setInputTokens(100_000));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.3"));
            assertThat(r.price().getRegion()).isNull();
        }

        @Test
        void shouldUseEventRegionToPickRegionalEntry() {
            PricingResult r = price(call("aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0").setRegion("eu")
                    .setInputTokens(100_000));

            assertThat(r.uncachedInput()).isEqualTo(usd("0.33"));
            assertThat(r.price().getRegion()).isEqualTo("eu");
        }

        @Test
        void shouldFallBackToGlobalEntryAndFlagWhenRegionHasNoEntry() {
            PriceBook book = PriceBook.of(List.of(
                    Entries.entry("aws.bedrock", "anthropic.claude-x-v1:0", "3.00", "15.00").build()));

            PricingResult r = CostEngine.price(call("aws.bedrock", "us.anthropic.claude-x-v1:0")
                    .setInputTokens(1_000_000).build(), book);

            assertThat(r.uncachedInput()).isEqualTo(usd("3"));
            assertThat(r.flags()).contains(PricingFlag.REGION_FALLBACK);
        }

        @Test
        void shouldLeaveUnknownModelUnpricedWithZeroCost() {
            PricingResult r = price(call("openai", "gpt-9-ultra").setInputTokens(1_000).setOutputTokens(1_000));

            assertThat(r.priced()).isFalse();
            assertThat(r.price()).isNull();
            assertThat(r.total()).isEqualTo(Money.ZERO);
            assertThat(r.billedModel()).isEqualTo("gpt-9-ultra");
            assertThat(r.flagNames()).containsExactly("unpriced");
        }

        @Test
        void shouldNotGuessPriceOfUnknownDatedSnapshot() {
            PricingResult r = price(call("openai", "gpt-4o-2099-01-01").setInputTokens(1_000));

            assertThat(r.flags()).containsExactly(PricingFlag.UNPRICED);
        }

        @Test
        void shouldLeaveUnknownProviderUnpriced() {
            PricingResult r = price(call("no-such-provider", "gpt-4o").setInputTokens(1_000));

            assertThat(r.flags()).containsExactly(PricingFlag.UNPRICED);
        }

        @Test
        void shouldBillResponseModelOverRequestModel() {
            // Asked for gpt-4o, served by the gpt-4o-2024-05-13 snapshot at $5/M input: 1,000 x 0.000005 = 0.005.
            PricingResult r = price(call("openai", "gpt-4o").setResponseModel("gpt-4o-2024-05-13")
                    .setInputTokens(1_000));

            assertThat(r.billedModel()).isEqualTo("gpt-4o-2024-05-13");
            assertThat(r.total()).isEqualTo(usd("0.005"));
        }

        @Test
        void shouldStripProviderPrefixFromModelAndFlagIt() {
            // gemini/gemini-2.5-flash as a LiteLLM gateway reports it: input $0.30/M. 1,000 x 0.0000003 = 0.0003.
            PricingResult r = price(call("gcp.gemini", "gemini/gemini-2.5-flash").setInputTokens(1_000));

            assertThat(r.total()).isEqualTo(usd("0.0003"));
            assertThat(r.flags()).containsExactly(PricingFlag.NORMALISED_MATCH);
        }

        @Test
        void shouldPriceAliasAtItsEntryPrice() {
            PriceBook book = PriceBook.of(List.of(Entries.entry("anthropic", "claude-sonnet-4-5-20250929",
                    "3.00", "15.00").setAliases(List.of("claude-sonnet-4-5")).build()));

            PricingResult r = CostEngine.price(call("anthropic", "claude-sonnet-4-5").setInputTokens(1_000).build(),
                    book);

            assertThat(r.total()).isEqualTo(usd("0.003"));
            assertThat(r.price().getModel()).isEqualTo("claude-sonnet-4-5-20250929");
            assertThat(r.flags()).containsExactly(PricingFlag.ALIAS_MATCH);
        }
    }

    @Nested
    class PriceVersionsFeesAndOutcomes {

        @Test
        void shouldUseThePriceInForceAtEventTime() {
            // $5/M until 2025-11-01, $4/M from then on (a price cut). 1,000,000 input.
            PriceBook book = PriceBook.of(List.of(
                    Entries.entry("openai", "gpt-x", "5.00", "20.00").build(),
                    Entries.entry("openai", "gpt-x", "4.00", "16.00")
                            .setEffectiveFrom(Instant.parse("2025-11-01T00:00:00Z")).build()));
            UsageEvent.Builder before = call("openai", "gpt-x").setInputTokens(1_000_000)
                    .setTimestamp(Instant.parse("2025-10-31T23:59:59.999Z"));
            UsageEvent.Builder atChange = call("openai", "gpt-x").setInputTokens(1_000_000)
                    .setTimestamp(Instant.parse("2025-11-01T00:00:00Z"));

            assertThat(CostEngine.price(before.build(), book).total()).isEqualTo(usd("5"));
            assertThat(CostEngine.price(atChange.build(), book).total()).isEqualTo(usd("4"));
            assertThat(CostEngine.price(atChange.build(), book).price().getEffectiveFrom())
                    .isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
        }

        @Test
        void shouldAddWebSearchFeePerCall() {
            // claude-sonnet-4-5 web search: $10 per 1,000 searches = 0.01 per call; 3 calls = 0.03.
            // 1,000 input x 0.000003 = 0.003.
            PricingResult r = price(call("anthropic", "claude-sonnet-4-5").setInputTokens(1_000).setWebSearchCalls(3));

            assertThat(r.fees()).isEqualTo(usd("0.03"));
            assertThat(r.total()).isEqualTo(usd("0.033"));
        }

        @Test
        void shouldFlagWebSearchCallsWithoutFeeInBook() {
            PricingResult r = price(call("openai", "gpt-4o").setInputTokens(1_000).setWebSearchCalls(2));

            assertThat(r.fees()).isEqualTo(Money.ZERO);
            assertThat(r.flags()).containsExactly(PricingFlag.FEE_UNPRICED);
        }

        @Test
        void shouldPriceFailedCallOnReportedTokens() {
            UsageEvent.Builder failed = call("openai", "gpt-4o").setStatus("error").setInputTokens(1_000)
                    .setOutputTokens(100);
            UsageEvent.Builder ok = call("openai", "gpt-4o").setInputTokens(1_000).setOutputTokens(100);

            // 1,000 x 0.0000025 + 100 x 0.00001 = 0.0035, whatever the outcome.
            assertThat(price(failed).total()).isEqualTo(usd("0.0035")).isEqualTo(price(ok).total());
        }

        @Test
        void shouldCostNothingForFailureWithoutTokensYetStayPriced() {
            PricingResult r = price(call("openai", "gpt-4o").setStatus("timeout"));

            assertThat(r.total()).isEqualTo(Money.ZERO);
            assertThat(r.priced()).isTrue();
            assertThat(r.flags()).isEmpty();
        }

        @Test
        void shouldClampInconsistentTokensInsteadOfThrowing() {
            UsageEvent bad = call("openai", "gpt-4o").setInputTokens(100).setCacheReadInputTokens(500)
                    .setOutputTokens(-5).setReasoningOutputTokens(7).build();

            assertThatCode(() -> CostEngine.price(bad, DefaultBook.BOOK)).doesNotThrowAnyException();
            PricingResult r = CostEngine.price(bad, DefaultBook.BOOK);
            // Cache reads clamped to the 100 input tokens: 100 x 0.00000125; no negative amount anywhere.
            assertThat(r.cacheRead()).isEqualTo(usd("0.000125"));
            assertThat(r.total().signum()).isPositive();
            assertThat(r.flags()).contains(PricingFlag.INCONSISTENT_TOKENS);
        }

        @Test
        void shouldWriteAvroCostAtScaleTwelveWithTotalEqualToSumOfClasses() {
            PricingResult r = price(call("anthropic", "claude-opus-4-1").setInputTokens(10_000)
                    .setCacheReadInputTokens(2_000).setCacheCreationInputTokens(3_000)
                    .setCacheCreation1hInputTokens(1_000).setOutputTokens(500).setWebSearchCalls(1));

            CostBreakdown cost = r.toAvroCost();
            assertThat(cost.getTotal().scale()).isEqualTo(12);
            assertThat(cost.getUncachedInput().add(cost.getCacheRead()).add(cost.getCacheWrite())
                    .add(cost.getOutput()).add(cost.getReasoning()).add(cost.getFees()))
                    .isEqualTo(cost.getTotal());
            assertThat(r.price().getSource()).isEqualTo("litellm");
        }
    }
}
