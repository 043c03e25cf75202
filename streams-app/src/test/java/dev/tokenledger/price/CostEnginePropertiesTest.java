package dev.tokenledger.price;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the cost engine over many event shapes, models and modes of the shipped book. */
class CostEnginePropertiesTest {

    /** Models covering cache, 1h writes, reasoning prices, long-context tiers, batch/flex/priority and regions. */
    private static final List<String[]> MODELS = List.of(
            new String[] {"anthropic", "claude-sonnet-4-5"},
            new String[] {"anthropic", "claude-opus-4-1"},
            new String[] {"openai", "gpt-4o"},
            new String[] {"openai", "gpt-5"},
            new String[] {"openai", "o3"},
            new String[] {"gcp.gemini", "gemini-2.5-pro"},
            new String[] {"gcp.gemini", "gemini-2.5-flash-preview-04-17"},
            new String[] {"aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
            new String[] {"mistral_ai", "mistral-large-latest"},
            new String[] {"openai", "not-in-the-book"});

    /** A consistent usage shape: every subset within its total by construction. */
    record Shape(String[] model, long uncached, long cacheRead, long cacheWrite5m, long cacheWrite1h, long plainOutput,
                 long reasoning, int webSearches, boolean batch, String serviceTier) {

        UsageEvent event() {
            return UsageEvents.call(model[0], model[1])
                    .setInputTokens(uncached + cacheRead + cacheWrite5m + cacheWrite1h)
                    .setCacheReadInputTokens(cacheRead)
                    .setCacheCreationInputTokens(cacheWrite5m + cacheWrite1h)
                    .setCacheCreation1hInputTokens(cacheWrite1h)
                    .setOutputTokens(plainOutput + reasoning)
                    .setReasoningOutputTokens(reasoning)
                    .setWebSearchCalls(webSearches)
                    .setBatch(batch)
                    .setServiceTier(serviceTier)
                    .build();
        }

        /** The same request with {@code n} more tokens of one class (or n more web searches). */
        Shape grow(int tokenClass, long n) {
            switch (tokenClass) {
                case 0: return new Shape(model, uncached + n, cacheRead, cacheWrite5m, cacheWrite1h, plainOutput, reasoning, webSearches, batch, serviceTier);
                case 1: return new Shape(model, uncached, cacheRead + n, cacheWrite5m, cacheWrite1h, plainOutput, reasoning, webSearches, batch, serviceTier);
                case 2: return new Shape(model, uncached, cacheRead, cacheWrite5m + n, cacheWrite1h, plainOutput, reasoning, webSearches, batch, serviceTier);
                case 3: return new Shape(model, uncached, cacheRead, cacheWrite5m, cacheWrite1h + n, plainOutput, reasoning, webSearches, batch, serviceTier);
                case 4: return new Shape(model, uncached, cacheRead, cacheWrite5m, cacheWrite1h, plainOutput + n, reasoning, webSearches, batch, serviceTier);
                case 5: return new Shape(model, uncached, cacheRead, cacheWrite5m, cacheWrite1h, plainOutput, reasoning + n, webSearches, batch, serviceTier);
                default: return new Shape(model, uncached, cacheRead, cacheWrite5m, cacheWrite1h, plainOutput, reasoning, webSearches + (int) Math.min(n, 50), batch, serviceTier);
            }
        }
    }

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<Long> tokens = Arbitraries.longs().between(0, 150_000).edgeCases(c -> c.add(0L));
        Arbitrary<String[]> model = Arbitraries.of(MODELS);
        Arbitrary<Integer> searches = Arbitraries.integers().between(0, 5);
        Arbitrary<Boolean> batch = Arbitraries.of(true, false);
        Arbitrary<String> tier = Arbitraries.of("standard", "flex", "priority");
        return Combinators.combine(model, tokens, tokens, tokens, tokens, tokens, tokens, searches)
                .as((m, u, cr, w5, w1, o, r, s) -> new Shape(m, u, cr, w5, w1, o, r, s, false, "standard"))
                .flatMap(shape -> Combinators.combine(batch, tier).as((b, t) -> new Shape(shape.model(),
                        shape.uncached(), shape.cacheRead(), shape.cacheWrite5m(), shape.cacheWrite1h(),
                        shape.plainOutput(), shape.reasoning(), shape.webSearches(), b, t)));
    }

    @Property
    void classCostsSumToTheTotalExactly(@ForAll("shapes") Shape shape) {
        PricingResult r = CostEngine.price(shape.event(), DefaultBook.BOOK);

        Money sum = r.uncachedInput().plus(r.cacheRead()).plus(r.cacheWrite()).plus(r.output()).plus(r.reasoning())
                .plus(r.fees());
        assertThat(r.total()).isEqualTo(sum);
        assertThat(r.total().toBigDecimal().scale()).isEqualTo(Money.SCALE);
        assertThat(r.total().signum()).isNotNegative();
        assertThat(r.toAvroCost().getTotal()).isEqualTo(sum.toBigDecimal());
    }

    @Property
    void costNeverDecreasesWhenATokenCountGrowsWithinATier(@ForAll("shapes") Shape shape,
                                                           @ForAll @IntRange(min = 0, max = 6) int tokenClass,
                                                           @ForAll @IntRange(min = 1, max = 100_000) int more) {
        PricingResult before = CostEngine.price(shape.event(), DefaultBook.BOOK);
        PricingResult after = CostEngine.price(shape.grow(tokenClass, more).event(), DefaultBook.BOOK);
        // Crossing a long-context threshold reprices the whole request: that is a different tier.
        Assume.that(before.price() == null || before.price().getTier().equals(after.price().getTier()));

        assertThat(after.total()).isGreaterThanOrEqualTo(before.total());
    }
}
