package dev.tokenledger.whatif;

import static dev.tokenledger.whatif.WhatIfEngineTest.BOOK;
import static dev.tokenledger.whatif.WhatIfEngineTest.call;
import static dev.tokenledger.whatif.WhatIfEngineTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.money.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The savings heuristics on hand-priced calls of the example book, each a one-lever what-if. */
class SavingsReportTest {

    private static List<SavingsReport.Opportunity> models(List<MonthCall> calls, TaskOutcomes outcomes) {
        return opportunities(calls, outcomes).stream().filter(o -> o.lever().equals("model")).toList();
    }

    private static List<SavingsReport.Opportunity> opportunities(List<MonthCall> calls, TaskOutcomes outcomes) {
        MonthProfile profile = new MonthProfile();
        calls.forEach(profile::add);
        SavingsReport.Evaluation evaluation = new SavingsReport.Evaluation(profile, outcomes, BOOK);
        calls.forEach(evaluation::add);
        return evaluation.opportunities();
    }

    @Test
    void shouldOfferBatchForTheRestOfAWorkloadThatAlreadyBatchesAndNotForOneThatNeverDoes() {
        List<MonthCall> calls = List.of(
                call(event("a", "openai", "o3").setInputTokens(100_000).setOutputTokens(10_000).setBatch(true)
                        .setWorkload("nightly-eval"), "eval-harness"),
                call(event("b", "openai", "o3").setInputTokens(100_000).setOutputTokens(10_000)
                        .setWorkload("nightly-eval"), "eval-harness"),
                call(event("c", "openai", "o3").setInputTokens(100_000).setOutputTokens(10_000)
                        .setWorkload("online"), "eval-harness"));

        List<SavingsReport.Opportunity> found = opportunities(calls, TaskOutcomes.NONE);

        assertThat(found).singleElement().satisfies(o -> {
            assertThat(o.lever()).isEqualTo("batch");
            // The one call not sent as batch: 0.28 standard, 0.14 at 50% (o3 has no batch price).
            assertThat(o.savings()).isEqualTo(Money.parse("0.140000000000"));
            assertThat(o.featureActual()).isEqualTo(Money.parse("0.700000000000"));   // 0.14 + 0.28 + 0.28
            assertThat(o.scenarioYaml()).isEqualTo("batch: {workloads: [\"nightly-eval\"], features: [\"eval-harness\"]}");
            assertThat(o.evidence()).startsWith("1 of 2 calls of workload nightly-eval already batch");
        });
    }

    @Test
    void shouldRaiseALowCacheShareOfLongRepeatedInputsToSixtyPercent() {
        MonthCall doc = call(event("d", "openai", "gpt-4o").setInputTokens(10_000).setCacheReadInputTokens(1_000)
                .setOutputTokens(100).setConversationId("conv-1"), "doc-qa");
        MonthCall shortInput = call(event("s", "openai", "gpt-4o").setInputTokens(3_000).setOutputTokens(100)
                .setConversationId("conv-2"), "chat");

        List<SavingsReport.Opportunity> found = opportunities(List.of(doc, shortInput), TaskOutcomes.NONE);

        // 0.024750000000 -> 0.019125000000 (60% reads, a tenth of the moved tokens as writes: WhatIfEngineTest).
        assertThat(found).singleElement().satisfies(o -> {
            assertThat(o.lever()).isEqualTo("cache_reads");
            assertThat(o.feature()).isEqualTo("doc-qa");
            assertThat(o.savings()).isEqualTo(Money.parse("0.005625000000"));
        });
    }

    @Test
    void shouldOfferACheaperModelOfTheSameFeatureOnlyWhenItSucceedsAboutAsOften() {
        List<MonthCall> calls = List.of(
                call(event("s", "anthropic", "claude-sonnet-4-5-20250929").setInputTokens(10_000)
                        .setCacheReadInputTokens(4_000).setCacheCreationInputTokens(1_000).setOutputTokens(1_000), "support"),
                call(event("h", "anthropic", "claude-haiku-4-5-20251001").setInputTokens(10_000).setOutputTokens(1_000),
                        "support"));
        TaskOutcomes similar = new TaskOutcomes();
        similar.add("support", "claude-sonnet-4-5-20250929", 100, 80);
        similar.add("support", "claude-haiku-4-5-20251001", 100, 76);
        TaskOutcomes apart = new TaskOutcomes();
        apart.add("support", "claude-sonnet-4-5-20250929", 100, 80);
        apart.add("support", "claude-haiku-4-5-20251001", 100, 74);

        // Sonnet's call on Haiku's entry: 0.034950000000 - 0.011650000000 (WhatIfEngineTest's call, output unchanged).
        // (The feature's input is long and 20% cache reads: a cache candidate too, not the point here.)
        assertThat(models(calls, similar)).singleElement().satisfies(o -> {
            assertThat(o.lever()).isEqualTo("model");
            assertThat(o.savings()).isEqualTo(Money.parse("0.023300000000"));
            assertThat(o.evidence()).contains("success rate 76.0% with claude-haiku-4-5-20251001 vs 80.0%");
        });
        assertThat(models(calls, apart)).as("6 points apart").isEmpty();
        assertThat(models(calls, TaskOutcomes.NONE)).singleElement()
                .satisfies(o -> assertThat(o.evidence()).contains("no task outcomes for this feature"));
    }

    @Test
    void shouldQuoteNamesInTheGeneratedScenario() {
        assertThat(SavingsReport.q("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }
}
