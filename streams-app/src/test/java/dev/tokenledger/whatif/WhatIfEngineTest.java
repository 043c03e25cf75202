package dev.tokenledger.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The what-if identities on the example book (examples/pricebook.yaml), numbers worked by hand from its rates:
 * nothing changed is the actual month to the last digit; batch at 50% where the book has no batch price; a
 * substitution priced with the substitute's entry.
 */
class WhatIfEngineTest {

    static final List<PriceEntry> BOOK = PriceBooks.read(Path.of("..", "examples", "pricebook.yaml"));
    static final PriceBook PRICED_WITH = PriceBook.of(BOOK);
    static final Instant AT = Instant.parse("2026-11-10T12:00:00Z");

    static UsageEvent.Builder event(String id, String provider, String model) {
        return UsageEvent.newBuilder().setRequestId(id).setTimestamp(AT).setProvider(provider).setRequestModel(model)
                .setResponseModel(model).setAttributes(Map.of());
    }

    /** A call as the pipeline left it: priced with the book the month was priced with. */
    static MonthCall call(UsageEvent.Builder b, String feature) {
        UsageEvent e = b.build();
        return new MonthCall(e, feature, CostEngine.price(e, PRICED_WITH).total());
    }

    static Scenario scenario(String yaml) {
        return ScenarioFile.parse(new StringReader(yaml), "test", Path.of("..", "examples"), "test");
    }

    static WhatIfResult run(Scenario s, List<MonthCall> calls) {
        return run(s, calls, TaskOutcomes.NONE);
    }

    static WhatIfResult run(Scenario s, List<MonthCall> calls, TaskOutcomes outcomes) {
        WhatIfEngine engine = new WhatIfEngine(s, BOOK);
        WhatIfLedger ledger = new WhatIfLedger();
        calls.forEach(c -> ledger.add(engine.price(c)));
        return ledger.result(s.name(), outcomes);
    }

    /** Every pricing path of the book: cache classes, 1-hour writes, batch, flex, priority, long context, fees, unpriced. */
    static List<MonthCall> variedMonth() {
        List<MonthCall> calls = new ArrayList<>();
        calls.add(call(event("a", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(48_210)
                .setCacheReadInputTokens(36_000).setCacheCreationInputTokens(9_800).setCacheCreation1hInputTokens(6_000)
                .setOutputTokens(1_184).setTaskId("t1"), "support-copilot"));
        calls.add(call(event("b", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(250_001)
                .setCacheReadInputTokens(50_000).setOutputTokens(2_001).setWebSearchCalls(3), "doc-qa"));
        calls.add(call(event("c", "openai", "gpt-4o").setBatch(true).setInputTokens(10_003).setCacheReadInputTokens(4_001)
                .setOutputTokens(2_003).setWorkload("nightly-eval"), "eval-harness"));
        calls.add(call(event("d", "openai", "gpt-5").setServiceTier("flex").setInputTokens(10_007)
                .setCacheReadInputTokens(4_003).setOutputTokens(2_001).setReasoningOutputTokens(1_201), "eval-harness"));
        calls.add(call(event("e", "openai", "gpt-4o").setServiceTier("priority").setInputTokens(1)
                .setOutputTokens(3), "semantic-search"));
        calls.add(call(event("f", "aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0").setInputTokens(100_001)
                .setOutputTokens(999), "doc-qa"));
        calls.add(call(event("g", "openai", "gpt-9-ultra").setInputTokens(1_000).setOutputTokens(1_000), "adhoc"));
        calls.add(call(event("h", "gcp.gemini", "gemini-2.5-flash").setInputTokens(2_000).setOutputTokens(1_000)
                .setReasoningOutputTokens(600).setStatus("timeout").setAttempt(2).setRetryOf("x"), "semantic-search"));
        return calls;
    }

    static Money sum(List<MonthCall> calls) {
        return calls.stream().map(MonthCall::actualCost).reduce(Money.ZERO, Money::plus);
    }

    @Test
    void shouldReproduceTheActualMonthToTheLastDigitWhenTheScenarioChangesNothing() {
        List<MonthCall> calls = variedMonth();
        Money actual = sum(calls);
        WhatIfEngine engine = new WhatIfEngine(Scenario.unchanged(), BOOK);
        for (MonthCall c : calls) {
            WhatIfEngine.Repriced r = engine.price(c);
            assertThat(r.repriced()).as(c.event().getRequestId()).isEqualTo(c.actualCost());
            assertThat(r.scenarioCost()).isEqualTo(c.actualCost());
            assertThat(r.changed()).isFalse();
        }

        WhatIfResult result = run(Scenario.unchanged(), calls);
        assertThat(result.total().actual()).isEqualTo(actual);
        assertThat(result.total().scenario()).isEqualTo(actual);
        assertThat(result.total().savings()).isEqualTo(Money.ZERO);
        assertThat(result.repriceMismatches()).isZero();
        assertThat(result.row("doc-qa").scenario()).isEqualTo(calls.get(1).actualCost().plus(calls.get(5).actualCost()));
    }

    @Test
    void shouldReproduceTheMonthWhenEveryLeverMissesAndWhenTheScenarioBookIsTheSameBookReadAgain() {
        List<MonthCall> calls = variedMonth();
        Scenario missing = scenario("""
                price_book: pricebook.yaml
                rate_factors: [{provider: acme, factor: "0.5"}]
                substitutions:
                  - {feature: no-such-feature, from: gpt-4o, to: {provider: openai, model: gpt-5}}
                batch: {workloads: [no-such-workload]}
                cache_reads: [{feature: no-such-feature, share: "0.9"}]
                token_shape: [{feature: no-such-feature, all: 50}]
                """);
        WhatIfResult result = run(missing, calls);
        assertThat(result.total().scenario()).isEqualTo(sum(calls));
        assertThat(result.total().changedCalls()).isZero();
    }

    @Test
    void shouldPriceBatchAtHalfTheStandardRateWhereTheBookHasNoBatchPriceAndAtTheBatchPriceWhereItHasOne() {
        // o3 from 2025-06-10: $2 / $8 per million, no batch price. Standard: 100,000 x 0.000002 + 10,000 x 0.000008.
        MonthCall o3 = call(event("o", "openai", "o3").setInputTokens(100_000).setOutputTokens(10_000)
                .setWorkload("nightly-eval"), "eval-harness");
        // Sonnet has batch input 1.50 and output 7.50, no batch cache-read price (50% of 0.30): pricing.md §6.
        MonthCall sonnet = call(event("s", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(100_000)
                .setCacheReadInputTokens(40_000).setOutputTokens(5_000).setWorkload("nightly-eval"), "eval-harness");
        MonthCall online = call(event("n", "openai", "o3").setInputTokens(100_000).setOutputTokens(10_000)
                .setWorkload("online"), "eval-harness");
        assertThat(o3.actualCost()).isEqualTo(Money.parse("0.280000000000"));
        assertThat(sonnet.actualCost()).isEqualTo(Money.parse("0.267000000000"));

        WhatIfResult result = run(scenario("batch: {workloads: [nightly-eval]}"), List.of(o3, sonnet, online));

        WhatIfResult.Row row = result.row("eval-harness");
        // 0.100000000000 + 0.040000000000 (o3 at 50%) + 0.133500000000 (pricing.md §6) + 0.28 (online, unchanged)
        assertThat(row.scenario()).isEqualTo(Money.parse("0.553500000000"));
        assertThat(row.actual()).isEqualTo(Money.parse("0.827000000000"));
        assertThat(row.savings()).isEqualTo(Money.parse("0.273500000000"));
        assertThat(row.changedCalls()).isEqualTo(2);
    }

    @Test
    void shouldPriceASubstitutionWithTheSubstitutesBookEntryAndItsTokenShape() {
        // Sonnet: 5,000 uncached x 3.00 + 4,000 reads x 0.30 + 1,000 writes x 3.75 + 1,000 output x 15.00 per million.
        MonthCall sonnet = call(event("s", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(10_000)
                .setCacheReadInputTokens(4_000).setCacheCreationInputTokens(1_000).setOutputTokens(1_000), "support");
        MonthCall gpt = call(event("g", "openai", "gpt-4o").setInputTokens(1_000).setOutputTokens(100), "support");
        assertThat(sonnet.actualCost()).isEqualTo(Money.parse("0.034950000000"));

        Scenario s = scenario("""
                substitutions:
                  - feature: support
                    from: claude-sonnet-4-5-20250929
                    to: {provider: anthropic, model: claude-haiku-4-5-20251001}
                    token_shape: {output: 10}
                """);
        WhatIfResult result = run(s, List.of(sonnet, gpt));

        // Haiku: 5,000 x 1.00 + 4,000 x 0.10 + 1,000 x 1.25 + 1,100 output (1,000 + 10%) x 5.00 per million
        // = 0.005 + 0.0004 + 0.00125 + 0.0055; the gpt-4o call is not substituted.
        Money haiku = Money.parse("0.012150000000");
        assertThat(result.row("support").scenario()).isEqualTo(haiku.plus(gpt.actualCost()));
        assertThat(result.row("support").savings()).isEqualTo(Money.parse("0.022800000000"));
        assertThat(result.row("support").changedCalls()).isEqualTo(1);
    }

    @Test
    void shouldScaleEveryRateOfAProvidersEntriesByItsFactor() {
        MonthCall sonnet = call(event("s", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(10_000)
                .setCacheReadInputTokens(4_000).setCacheCreationInputTokens(1_000).setOutputTokens(1_000), "support");
        MonthCall gpt = call(event("g", "openai", "gpt-4o").setInputTokens(1_000).setOutputTokens(100), "support");

        WhatIfResult result = run(scenario("rate_factors: [{provider: anthropic, factor: \"0.85\"}]"), List.of(sonnet, gpt));

        // 0.85 x each class: 0.01275 + 0.00102 + 0.0031875 + 0.01275 = 0.0297075; gpt-4o unchanged.
        assertThat(result.row("support").scenario()).isEqualTo(Money.parse("0.029707500000").plus(gpt.actualCost()));
    }

    @Test
    void shouldMoveUncachedInputIntoCacheReadsUpToTheTargetShareAndBillTheWriteShareAsCacheWrites() {
        // gpt-4o: 9,000 uncached x 2.50 + 1,000 reads x 1.25 + 100 output x 10.00 per million = 0.02475.
        MonthCall doc = call(event("d", "openai", "gpt-4o").setInputTokens(10_000).setCacheReadInputTokens(1_000)
                .setOutputTokens(100), "doc-qa");
        MonthCall already = call(event("e", "openai", "gpt-4o").setInputTokens(10_000).setCacheReadInputTokens(7_000)
                .setOutputTokens(100), "doc-qa");
        assertThat(doc.actualCost()).isEqualTo(Money.parse("0.024750000000"));

        // 6,000 of 10,000 as reads: 4,000 x 2.50 + 6,000 x 1.25 + 0.001 = 0.0185; the second call is already at 70%.
        WhatIfResult reads = run(scenario("cache_reads: [{feature: doc-qa, share: \"0.6\"}]"), List.of(doc, already));
        assertThat(reads.row("doc-qa").scenario()).isEqualTo(Money.parse("0.018500000000").plus(already.actualCost()));
        assertThat(reads.row("doc-qa").changedCalls()).isEqualTo(1);

        // 5,000 moved, 500 of them written (no write price for gpt-4o: the input rate, pricing.md §4):
        // 4,000 x 2.50 + (1,000 + 4,500) x 1.25 + 500 x 2.50 + 0.001 = 0.01 + 0.006875 + 0.00125 + 0.001.
        WhatIfResult withWrites = run(scenario("cache_reads: [{feature: doc-qa, share: \"0.6\", write_share: \"0.1\"}]"),
                List.of(doc));
        assertThat(withWrites.total().scenario()).isEqualTo(Money.parse("0.019125000000"));
    }

    @Test
    void shouldRoundScaledTokenCountsHalfUp() {
        TokenFactors plus20 = TokenFactors.all(new BigDecimal("20"));
        assertThat(plus20.scale(TokenClass.OUTPUT, 7)).isEqualTo(8);     // 8.4
        assertThat(plus20.scale(TokenClass.OUTPUT, 5)).isEqualTo(6);     // 6.0
        assertThat(plus20.scale(TokenClass.INPUT, 8)).isEqualTo(10);     // 9.6
        TokenFactors plus10 = TokenFactors.all(new BigDecimal("10"));
        assertThat(plus10.scale(TokenClass.INPUT, 5)).isEqualTo(6);      // 5.5, half up
        assertThat(plus10.scale(TokenClass.INPUT, 15)).isEqualTo(17);    // 16.5, half up (half-even would give 16)
        TokenFactors minus50 = TokenFactors.all(new BigDecimal("-50"));
        assertThat(minus50.scale(TokenClass.REASONING, 3)).isEqualTo(2); // 1.5
        assertThat(TokenFactors.all(new BigDecimal("-100")).scale(TokenClass.OUTPUT, 9)).isZero();
    }

    /**
     * Question 3's sensitivity, every token class +20% at the same prices, is v_feature_margin's
     * {@code round((cost - fees) x 1.2, 12) + fees}. Through the engine it agrees to the last digit whenever every
     * scaled count is whole (a multiple of 5) and no call crosses a long-context threshold.
     */
    @Test
    void shouldAgreeWithTheMarginViewsLinearSensitivityWhenCountsScaleToWholeTokens() {
        List<MonthCall> calls = List.of(
                call(event("a", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(48_210)
                        .setCacheReadInputTokens(36_000).setCacheCreationInputTokens(9_800)
                        .setCacheCreation1hInputTokens(6_000).setOutputTokens(1_185).setWebSearchCalls(2), "copilot"),
                call(event("b", "openai", "gpt-5").setServiceTier("flex").setInputTokens(10_005)
                        .setCacheReadInputTokens(4_000).setOutputTokens(2_000).setReasoningOutputTokens(1_200), "copilot"),
                call(event("c", "gcp.gemini", "gemini-2.5-flash").setInputTokens(2_000).setOutputTokens(1_000)
                        .setReasoningOutputTokens(600), "search"),
                call(event("d", "openai", "gpt-4o").setBatch(true).setInputTokens(100_000).setOutputTokens(5), "search"));
        WhatIfResult engine = run(scenario("token_shape: {all: 20}"), calls);

        for (String feature : List.of("copilot", "search")) {
            Money cost = Money.ZERO;
            Money fees = Money.ZERO;
            for (MonthCall c : calls) {
                if (c.feature().equals(feature)) {
                    cost = cost.plus(c.actualCost());
                    fees = fees.plus(CostEngine.price(c.event(), PRICED_WITH).fees());
                }
            }
            Money linear = Money.of(cost.minus(fees).toBigDecimal().multiply(new BigDecimal("1.2"))
                    .setScale(12, RoundingMode.HALF_EVEN)).plus(fees);
            assertThat(engine.row(feature).scenario()).as(feature).isEqualTo(linear);
        }
        assertThat(engine.row("copilot").scenario().minus(engine.row("copilot").actual()).signum()).isPositive();
    }

    @Test
    void shouldPriceTheWholeRequestAtTheLongContextTierWhenTheShapeTakesItOverTheThresholdUnlikeTheLinearView() {
        // 180,000 input x 1.2 = 216,000 > 200,000: every class at the tier (6.00 / 22.50), pricing.md §5.
        MonthCall big = call(event("l", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(180_000)
                .setOutputTokens(1_000), "contracts");
        assertThat(big.actualCost()).isEqualTo(Money.parse("0.555000000000"));

        WhatIfResult engine = run(scenario("token_shape: {all: 20}"), List.of(big));

        // 216,000 x 0.000006 + 1,200 x 0.0000225 = 1.296 + 0.027; the linear view says 0.555 x 1.2 = 0.666.
        assertThat(engine.total().scenario()).isEqualTo(Money.parse("1.323000000000"));
    }

    @Test
    void shouldKeepADifferentBaselineBookOutOfTheSavingsAndCountTheCallsItRepricesDifferently() {
        UsageEvent e = event("p", "openai", "gpt-4o").setInputTokens(1_000).setOutputTokens(100)
                .setWorkload("nightly-eval").build();
        // The pipeline priced this call at another book's price (0.01): the example book says 0.0035.
        MonthCall recorded = new MonthCall(e, "eval-harness", Money.parse("0.010000000000"));

        WhatIfResult unchanged = run(Scenario.unchanged(), List.of(recorded));
        assertThat(unchanged.total().scenario()).isEqualTo(Money.parse("0.010000000000"));
        assertThat(unchanged.repriceMismatches()).isEqualTo(1);
        assertThat(unchanged.repriceDifference()).isEqualTo(Money.parse("-0.006500000000"));
        assertThat(unchanged.notes()).anyMatch(n -> n.contains("re-price differently"));

        // Batch saves what it saves under the baseline book: 1,000 x 1.25 + 100 x 5.00 per million = 0.00175 of 0.0035.
        WhatIfResult batch = run(scenario("batch: {workloads: [nightly-eval]}"), List.of(recorded));
        assertThat(batch.total().savings()).isEqualTo(Money.parse("0.001750000000"));
    }

    @Test
    void shouldWorkOutCostPerSuccessfulTaskBeforeAndAfterWithTheSubstitutesSuccessRate() {
        MonthCall sonnet = call(event("s", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(10_000)
                .setCacheReadInputTokens(4_000).setCacheCreationInputTokens(1_000).setOutputTokens(1_000)
                .setTaskId("t1"), "support");
        MonthCall haiku = call(event("h", "anthropic", "claude-haiku-4-5-20251001").setInputTokens(10_000)
                .setOutputTokens(1_000).setTaskId("t2"), "support");
        MonthCall untasked = call(event("u", "openai", "gpt-4o").setInputTokens(1_000).setOutputTokens(100), "support");
        TaskOutcomes outcomes = new TaskOutcomes();
        outcomes.add("support", "claude-sonnet-4-5-20250929", 10, 8);
        outcomes.add("support", "claude-haiku-4-5-20251001", 5, 4);

        Scenario s = scenario("""
                substitutions:
                  - feature: support
                    from: claude-sonnet-4-5-20250929
                    to: {provider: anthropic, model: claude-haiku-4-5-20251001}
                    success_rate: "0.7"
                """);
        WhatIfResult result = run(s, List.of(sonnet, haiku, untasked), outcomes);
        WhatIfResult.Row row = result.row("support");

        // Tasked cost before: 0.03495 + haiku 10,000 x 1.00 + 1,000 x 5.00 per million = 0.03495 + 0.015 = 0.04995.
        assertThat(row.successfulTasks()).isEqualTo(12);
        assertThat(row.costPerSuccessBefore()).isEqualByComparingTo("0.004162500000");       // 0.04995 / 12
        // After: sonnet's call as haiku 0.005 + 0.0004 + 0.00125 + 0.005 = 0.01165; + 0.015 = 0.02665.
        // Successes: 12 - 8 (sonnet's) + 10 x 0.7 = 11.
        assertThat(row.successfulTasksAfter()).isEqualByComparingTo("11");
        assertThat(row.costPerSuccessAfter()).isEqualByComparingTo("0.002422727273");        // 0.02665 / 11
        assertThat(result.total().costPerSuccessAfter()).isEqualByComparingTo("0.002422727273");

        // Without a success rate in the scenario, the rate observed for haiku on the feature: 4 of 5.
        WhatIfResult observed = run(scenario("""
                substitutions:
                  - {feature: support, from: claude-sonnet-4-5-20250929, to: {provider: anthropic, model: claude-haiku-4-5-20251001}}
                """), List.of(sonnet, haiku, untasked), outcomes);
        assertThat(observed.row("support").successfulTasksAfter()).isEqualByComparingTo("12");   // 12 - 8 + 10 x 0.8
    }

    @Test
    void shouldRefuseASubstituteTheScenarioBookCannotPrice() {
        Scenario s = scenario("""
                substitutions:
                  - {feature: support, from: gpt-4o, to: {provider: openai, model: gpt-9-ultra}}
                """);
        assertThat(new WhatIfEngine(s, BOOK).unpricedSubstitutes(AT))
                .containsExactly("line 2: the substitute openai/gpt-9-ultra has no price in the scenario's book at " + AT);
    }
}
