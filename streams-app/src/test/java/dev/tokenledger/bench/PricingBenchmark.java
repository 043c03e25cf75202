package dev.tokenledger.bench;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.price.PricingResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Pricing cost per event with the shipped default book (the LiteLLM map, ~1,500 entries) in memory.
 * Run with {@code bench/jmh-pricing}; results are written down in BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PricingBenchmark {

    private static final Instant AT = Instant.parse("2025-11-15T12:00:00Z");

    private PriceBook book;
    private UsageEvent oneEvent;
    private UsageEvent[] mix;
    private int next;

    @Setup
    public void setUp() {
        book = PriceBooks.loadDefault();
        // A typical agent turn on Claude Sonnet 4.5: most of the prompt from cache, some written, some reasoning.
        oneEvent = event("anthropic", "claude-sonnet-4-5-20250929").setInputTokens(42_000)
                .setCacheReadInputTokens(36_000).setCacheCreationInputTokens(4_000).setOutputTokens(1_200)
                .setReasoningOutputTokens(400).build();
        List<UsageEvent> events = List.of(
                oneEvent,
                event("openai", "gpt-4o").setInputTokens(3_000).setCacheReadInputTokens(1_024).setOutputTokens(300)
                        .build(),
                event("openai", "gpt-4o-mini").setBatch(true).setInputTokens(800).setOutputTokens(200).build(),
                event("openai", "gpt-5").setServiceTier("flex").setInputTokens(12_000).setOutputTokens(3_000)
                        .setReasoningOutputTokens(2_200).build(),
                event("openai", "o3").setServiceTier("priority").setInputTokens(5_000).setOutputTokens(6_000)
                        .setReasoningOutputTokens(5_000).build(),
                event("gcp.gemini", "gemini-2.5-flash").setInputTokens(20_000).setOutputTokens(900)
                        .setReasoningOutputTokens(600).build(),
                event("gcp.gemini", "gemini/gemini-2.5-pro").setInputTokens(250_000).setOutputTokens(2_000).build(),
                event("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0").setInputTokens(9_000)
                        .setCacheReadInputTokens(6_000).setOutputTokens(700).build(),
                event("anthropic", "claude-opus-4-1").setInputTokens(30_000).setCacheCreationInputTokens(8_000)
                        .setCacheCreation1hInputTokens(8_000).setOutputTokens(1_500).setWebSearchCalls(2).build(),
                event("anthropic", "claude-haiku-4-5").setBatch(true).setInputTokens(2_000).setOutputTokens(400)
                        .build(),
                event("mistral_ai", "mistral-large-latest").setInputTokens(4_000).setOutputTokens(500).build(),
                event("openai", "gpt-4o").setStatus("error").setInputTokens(1_500).build(),
                event("azure.ai.openai", "gpt-4o-2024-08-06").setRegion("us").setInputTokens(2_500)
                        .setOutputTokens(350).build(),
                event("anthropic", "claude-sonnet-4-5").setInputTokens(210_000).setCacheReadInputTokens(150_000)
                        .setOutputTokens(4_000).build(),
                event("deepseek", "deepseek-chat").setInputTokens(6_000).setCacheReadInputTokens(5_000)
                        .setOutputTokens(800).build(),
                event("openai", "gpt-internal-preview").setInputTokens(1_000).setOutputTokens(100).build());
        mix = events.toArray(new UsageEvent[0]);
        for (UsageEvent e : mix) {
            // Builds the per-provider indexes before measuring, as the first event of each provider would.
            CostEngine.price(e, book);
        }
    }

    private static UsageEvent.Builder event(String provider, String model) {
        return UsageEvent.newBuilder().setRequestId("bench").setTimestamp(AT).setProvider(provider)
                .setRequestModel(model).setAttributes(new HashMap<>());
    }

    @Benchmark
    public PricingResult priceOneEvent() {
        return CostEngine.price(oneEvent, book);
    }

    @Benchmark
    public PricingResult priceMixOfModels() {
        UsageEvent e = mix[next];
        next = next + 1 == mix.length ? 0 : next + 1;
        return CostEngine.price(e, book);
    }

    /** What the pricing processor does per record: price, then build the Avro cost and the flag names. */
    @Benchmark
    public CostBreakdown priceMixToAvro() {
        UsageEvent e = mix[next];
        next = next + 1 == mix.length ? 0 : next + 1;
        PricingResult r = CostEngine.price(e, book);
        r.flagNames();
        return r.toAvroCost();
    }
}
