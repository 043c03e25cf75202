package dev.tokenledger.generator;

import dev.tokenledger.generator.FeatureProfile.SessionKind;
import dev.tokenledger.generator.FeatureProfile.TaskIds;
import dev.tokenledger.generator.Model.CacheStyle;
import dev.tokenledger.generator.Model.ReportedRates;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fictional company whose gateway the generator plays: six teams, ten AI features, fifty
 * customers and the models they call. Model ids are keys of the LiteLLM price map, so the price
 * book knows all of them except {@link #UNKNOWN_MODEL}. The demo ownership registry and budgets
 * ({@code demo/ownership.csv}, {@code demo/budgets.csv}) are written against these names.
 */
final class Catalog {

    private Catalog() {
    }

    // OpenAI: automatic prompt caching, dated snapshot as the billed model.
    static final Model GPT_4O = new Model("openai", "gpt-4o", "gpt-4o-2024-08-06", null, false,
            CacheStyle.AUTOMATIC_READS, false, true, 128_000, 450, 12.0,
            ReportedRates.of("0.0000025", "0.00000125", "0.00001"));
    static final Model GPT_4O_MINI = new Model("openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", null, false,
            CacheStyle.AUTOMATIC_READS, false, true, 128_000, 300, 7.0,
            ReportedRates.of("0.00000015", "0.000000075", "0.0000006"));
    static final Model O3 = new Model("openai", "o3", "o3-2025-04-16", null, true,
            CacheStyle.AUTOMATIC_READS, true, true, 200_000, 2_500, 10.0,
            ReportedRates.of("0.000002", "0.0000005", "0.000008"));
    static final Model GPT_5 = new Model("openai", "gpt-5", "gpt-5-2025-08-07", null, true,
            CacheStyle.AUTOMATIC_READS, true, true, 272_000, 1_800, 9.0,
            ReportedRates.of("0.00000125", "0.000000125", "0.00001"));
    static final Model GPT_5_MINI = new Model("openai", "gpt-5-mini", "gpt-5-mini-2025-08-07", null, true,
            CacheStyle.AUTOMATIC_READS, true, true, 272_000, 900, 5.0,
            ReportedRates.of("0.00000025", "0.000000025", "0.000002"));

    // Anthropic: explicit cache writes (5-minute and 1-hour); Sonnet 4.5 takes contexts beyond 200k at a higher tier.
    static final Model CLAUDE_SONNET_4_5 = new Model("anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", null,
            false, CacheStyle.EXPLICIT_WRITES, false, false, 1_000_000, 700, 14.0, null);
    static final Model CLAUDE_HAIKU_4_5 = new Model("anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001", null,
            false, CacheStyle.EXPLICIT_WRITES, false, false, 200_000, 350, 6.0, null);
    static final Model CLAUDE_OPUS_4_1 = new Model("anthropic", "claude-opus-4-1", "claude-opus-4-1-20250805", null,
            false, CacheStyle.EXPLICIT_WRITES, false, false, 200_000, 1_200, 25.0, null);
    static final Model BEDROCK_SONNET_4_5 = new Model("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", false, CacheStyle.EXPLICIT_WRITES, false, false,
            1_000_000, 800, 15.0, null);

    // Gemini: implicit caching, thinking tokens reported separately.
    static final Model GEMINI_2_5_FLASH = new Model("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash", null, true,
            CacheStyle.AUTOMATIC_READS, false, false, 1_048_576, 500, 4.0, null);
    static final Model GEMINI_2_5_PRO = new Model("gcp.gemini", "gemini-2.5-pro", "gemini-2.5-pro", null, true,
            CacheStyle.AUTOMATIC_READS, false, false, 1_048_576, 1_500, 9.0, null);

    /** A self-hosted model routed through the OpenAI-compatible path: no price book has it. */
    static final Model UNKNOWN_MODEL = new Model("openai", "acme-llm-7b", "acme-llm-7b", null, false,
            CacheStyle.NONE, false, false, 32_000, 200, 5.0, null);

    static final List<Model> KNOWN_MODELS = List.of(GPT_4O, GPT_4O_MINI, O3, GPT_5, GPT_5_MINI, CLAUDE_SONNET_4_5,
            CLAUDE_HAIKU_4_5, CLAUDE_OPUS_4_1, BEDROCK_SONNET_4_5, GEMINI_2_5_FLASH, GEMINI_2_5_PRO);

    static final List<String> TEAMS = List.of("search", "support", "growth", "platform", "data-science", "legal-ai");

    static final List<FeatureProfile> FEATURES = List.of(
            FeatureProfile.feature("semantic-search", "search", 22).promptVersion("rag-v7").customerFacing()
                    .environment("production", 85).environment("staging", 10).environment("internal", 5)
                    .model(GPT_4O_MINI, 50).model(GEMINI_2_5_FLASH, 30).model(GPT_4O, 20)
                    .shape(TokenShape.input(4_000, 24_000).cacheReads(0.7, 0.4, 0.85).output(120, 600)
                            .reasoning(0.2, 1.0))
                    .build(),
            FeatureProfile.feature("support-copilot", "support", 18).promptVersion("copilot-v12").customerFacing()
                    .environment("production", 90).environment("staging", 10)
                    .model(CLAUDE_SONNET_4_5, 55).model(GPT_4O, 30).model(CLAUDE_HAIKU_4_5, 15)
                    .shape(TokenShape.input(3_000, 9_000).growth(600, 1_800).cacheReads(0.9, 0.7, 0.95)
                            .cacheWrites(0.6, 0.2, 0.6, 0.1).output(150, 900))
                    .sessions(SessionKind.CONVERSATION, 2, 10).tasks(TaskIds.PER_SESSION, "tkt_")
                    .priority(0.1).webSearch(0.02)
                    .build(),
            FeatureProfile.feature("ticket-summarizer", "support", 12).promptVersion("summ-v4").customerFacing()
                    .environment("production", 95).environment("staging", 5)
                    .model(CLAUDE_HAIKU_4_5, 70).model(GPT_4O_MINI, 30)
                    .shape(TokenShape.input(1_500, 9_000).cacheReads(0.3, 0.2, 0.5).cacheWrites(0.2, 0.1, 0.3, 0.0)
                            .output(150, 500))
                    .tasks(TaskIds.PER_CALL, "tkt_").batch(0.25)
                    .build(),
            FeatureProfile.feature("email-drafts", "growth", 10).promptVersion("email-v3").customerFacing()
                    .environment("production", 80).environment("staging", 15).environment("internal", 5)
                    .model(GPT_4O_MINI, 55).model(GPT_5_MINI, 45)
                    .shape(TokenShape.input(600, 3_000).cacheReads(0.2, 0.3, 0.6).output(250, 900).reasoning(0.3, 1.5))
                    .build(),
            FeatureProfile.feature("doc-qa", "search", 9).promptVersion("docqa-v5").customerFacing()
                    .environment("production", 85).environment("staging", 15)
                    .model(CLAUDE_SONNET_4_5, 60).model(BEDROCK_SONNET_4_5, 25).model(CLAUDE_HAIKU_4_5, 15)
                    .shape(TokenShape.input(8_000, 60_000).growth(300, 1_200).cacheReads(0.75, 0.5, 0.95)
                            .cacheWrites(0.5, 0.3, 0.8, 0.25).output(200, 1_000).longContext(0.01))
                    .sessions(SessionKind.CONVERSATION, 1, 6)
                    .build(),
            FeatureProfile.feature("onboarding-agent", "growth", 9).promptVersion("onboard-v2").customerFacing()
                    .workload("agent")
                    .environment("production", 80).environment("staging", 20)
                    .model(GPT_5, 60).model(CLAUDE_SONNET_4_5, 40)
                    .shape(TokenShape.input(2_000, 16_000).growth(800, 2_500).cacheReads(0.85, 0.6, 0.95)
                            .cacheWrites(0.5, 0.3, 0.7, 0.05).output(80, 1_200).reasoning(0.5, 4.0))
                    .sessions(SessionKind.AGENT_RUN, 4, 20).tasks(TaskIds.PER_SESSION, "onb_").webSearch(0.05)
                    .build(),
            FeatureProfile.feature("code-review-bot", "platform", 7).promptVersion("review-v9").workload("agent")
                    .environment("internal", 90).environment("staging", 10)
                    .model(CLAUDE_SONNET_4_5, 45).model(CLAUDE_OPUS_4_1, 35).model(O3, 20)
                    .shape(TokenShape.input(6_000, 40_000).growth(1_000, 4_000).cacheReads(0.8, 0.5, 0.9)
                            .cacheWrites(0.6, 0.3, 0.8, 0.6).output(200, 2_500).reasoning(1.0, 4.0))
                    .sessions(SessionKind.AGENT_RUN, 3, 12).tasks(TaskIds.PER_SESSION, "pr_")
                    .build(),
            FeatureProfile.feature("eval-harness", "platform", 6).promptVersion("evals-2026q4").workload("nightly-eval")
                    .environment("eval", 100)
                    .model(GPT_5, 30).model(CLAUDE_SONNET_4_5, 30).model(GEMINI_2_5_PRO, 20).model(GPT_5_MINI, 20)
                    .shape(TokenShape.input(1_000, 12_000).cacheReads(0.5, 0.5, 0.9).cacheWrites(0.3, 0.2, 0.5, 0.0)
                            .output(100, 1_500))
                    .tasks(TaskIds.PER_CALL, "eval_").batch(0.7).flex(0.6)
                    .build(),
            FeatureProfile.feature("churn-insights", "data-science", 4).promptVersion("churn-v2").customerFacing()
                    .workload("analytics")
                    .environment("internal", 80).environment("production", 20)
                    .model(GPT_5_MINI, 50).model(GEMINI_2_5_PRO, 30).model(O3, 20)
                    .shape(TokenShape.input(3_000, 30_000).cacheReads(0.4, 0.3, 0.7).output(300, 2_000))
                    .batch(0.3).flex(0.7)
                    .build(),
            FeatureProfile.feature("contract-review", "legal-ai", 3).promptVersion("contracts-v6").customerFacing()
                    .environment("production", 90).environment("staging", 10)
                    .model(CLAUDE_SONNET_4_5, 45).model(CLAUDE_OPUS_4_1, 30).model(GEMINI_2_5_PRO, 25)
                    .shape(TokenShape.input(20_000, 150_000).growth(200, 800).cacheReads(0.6, 0.7, 0.95)
                            .cacheWrites(0.7, 0.5, 0.9, 0.5).output(500, 4_000).longContext(0.05))
                    .sessions(SessionKind.CONVERSATION, 1, 4).tasks(TaskIds.PER_SESSION, "ctr_")
                    .build());

    /** Shape of ad-hoc scripts and prototypes behind keys nobody registered. */
    static final FeatureProfile ADHOC = FeatureProfile.feature("adhoc", "none", 1)
            .model(GPT_4O, 30).model(CLAUDE_SONNET_4_5, 30).model(GEMINI_2_5_FLASH, 20).model(GPT_5, 20)
            .environment("internal", 1)
            .shape(TokenShape.input(200, 6_000).output(100, 1_200))
            .build();

    /**
     * Untagged traffic: a key, whether the ownership registry knows it, whose shape its calls have
     * and the environment it reports (null: none).
     */
    record UntaggedSource(String apiKeyId, boolean registered, FeatureProfile shapeOf, String environment) {
    }

    static final WeightedChoice<UntaggedSource> UNTAGGED_SOURCES = WeightedChoice.<UntaggedSource>builder()
            .add(new UntaggedSource("vk-legacy-support-widget", true, feature("ticket-summarizer"), "production"), 25)
            .add(new UntaggedSource("vk-search-reindex-job", true, feature("semantic-search"), "production"), 15)
            .add(new UntaggedSource("vk-growth-zapier", true, feature("email-drafts"), null), 15)
            .add(new UntaggedSource("vk-ds-notebooks", false, ADHOC, null), 20)
            .add(new UntaggedSource("vk-hackathon-2026", false, ADHOC, "internal"), 15)
            .add(new UntaggedSource("vk-personal-jlee", false, ADHOC, null), 10)
            .build();

    static final WeightedChoice<FeatureProfile> FEATURE_MIX = featureMix();

    static final int CUSTOMER_COUNT = 50;
    /** Zipf exponent of customer traffic: the top customer sends about a quarter of customer-facing calls. */
    static final double CUSTOMER_ZIPF_EXPONENT = 1.1;
    private static final String[] CUSTOMERS = customerIds();
    private static final double[] CUSTOMER_CUMULATIVE = zipfCumulative(CUSTOMER_COUNT, CUSTOMER_ZIPF_EXPONENT);

    static FeatureProfile feature(String name) {
        for (FeatureProfile profile : FEATURES) {
            if (profile.feature.equals(name)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("no such feature: " + name);
    }

    /** Customer ids cust-001 .. cust-050, cust-001 the largest. */
    static String customer(SplittableRandom random) {
        int found = Arrays.binarySearch(CUSTOMER_CUMULATIVE, random.nextDouble());
        int slot = found >= 0 ? found + 1 : -found - 1;
        return CUSTOMERS[Math.min(slot, CUSTOMER_COUNT - 1)];
    }

    static List<String> customers() {
        return List.of(CUSTOMERS);
    }

    private static WeightedChoice<FeatureProfile> featureMix() {
        WeightedChoice.Builder<FeatureProfile> builder = WeightedChoice.builder();
        for (FeatureProfile profile : FEATURES) {
            builder.add(profile, profile.weight);
        }
        return builder.build();
    }

    private static String[] customerIds() {
        String[] ids = new String[CUSTOMER_COUNT];
        for (int i = 0; i < CUSTOMER_COUNT; i++) {
            ids[i] = String.format("cust-%03d", i + 1);
        }
        return ids;
    }

    private static double[] zipfCumulative(int n, double exponent) {
        double[] cumulative = new double[n];
        double total = 0;
        for (int rank = 1; rank <= n; rank++) {
            total += 1.0 / Math.pow(rank, exponent);
            cumulative[rank - 1] = total;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= total;
        }
        return cumulative;
    }
}
