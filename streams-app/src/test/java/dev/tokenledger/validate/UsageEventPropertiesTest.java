package dev.tokenledger.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.constraints.LongRange;

/** Properties of the usage event contract over generated events. */
class UsageEventPropertiesTest {

    private static final long MAX_TOKENS = 5_000_000L;
    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2031-01-01T00:00:00Z");

    private final UsageValidator validator = UsageValidator.withDefaults();

    @Property
    void shouldAcceptEveryWellFormedEvent(@ForAll("validEvents") UsageEvent e,
                                          @ForAll @LongRange(min = -300_000, max = 86_400_000) long millisSinceEvent) {
        Instant now = e.getTimestamp().plusMillis(millisSinceEvent);
        assertThat(validator.validate(e, now)).isEmpty();
    }

    @Property
    void shouldRejectCacheTokensAboveInputTokens(@ForAll("validEvents") UsageEvent e,
                                                 @ForAll @LongRange(min = 1, max = MAX_TOKENS) long excess) {
        long cached = e.getCacheReadInputTokens() + e.getCacheCreationInputTokens();
        UsageEvent broken = UsageEvent.newBuilder(e).setInputTokens(Math.max(0, cached - excess)).build();
        Assume.that(cached > 0); // with nothing cached no input count is below it
        assertThat(validator.validate(broken, e.getTimestamp())).extracting(Violation::reason)
                .containsExactly(Violation.SUBSET_EXCEEDS_TOTAL);
    }

    @Property
    void shouldRejectAnyCacheSplitThatExceedsInputTokens(@ForAll @LongRange(min = 0, max = MAX_TOKENS) long input,
                                                         @ForAll @LongRange(min = 0, max = MAX_TOKENS) long cacheRead,
                                                         @ForAll @LongRange(min = 0, max = MAX_TOKENS) long cacheCreation) {
        UsageEvent e = UsageValidatorTest.valid().setInputTokens(input).setCacheReadInputTokens(cacheRead)
                .setCacheCreationInputTokens(cacheCreation).setCacheCreation1hInputTokens(0).build();
        List<String> reasons = validator.validate(e, e.getTimestamp()).stream().map(Violation::reason).toList();
        if (cacheRead + cacheCreation > input) {
            assertThat(reasons).containsExactly(Violation.SUBSET_EXCEEDS_TOTAL);
        } else {
            assertThat(reasons).isEmpty();
        }
    }

    @Property
    void shouldRejectReasoningAboveOutputTokens(@ForAll("validEvents") UsageEvent e,
                                                @ForAll @LongRange(min = 1, max = MAX_TOKENS) long excess) {
        UsageEvent broken = UsageEvent.newBuilder(e).setReasoningOutputTokens(e.getOutputTokens() + excess).build();
        assertThat(validator.validate(broken, e.getTimestamp()))
                .extracting(Violation::reason, Violation::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Violation.SUBSET_EXCEEDS_TOTAL, "reasoning_output_tokens"));
    }

    @Property
    void shouldReadBackExactlyWhatItWrites(@ForAll("validEvents") UsageEvent e) {
        ParseResult result = UsageEventJson.parse(UsageEventJson.toJson(e));
        assertThat(result.violations()).isEmpty();
        assertThat(result.event()).isEqualTo(e);
    }

    @Provide
    Arbitrary<UsageEvent> validEvents() {
        Arbitrary<long[]> tokens = Combinators.combine(
                count(), count(), count(), count(), count(), count()
        ).as((uncached, cacheRead, cacheWrite5m, cacheWrite1h, visibleOutput, reasoning) -> new long[] {
                uncached + cacheRead + cacheWrite5m + cacheWrite1h, cacheRead, cacheWrite5m + cacheWrite1h,
                cacheWrite1h, visibleOutput + reasoning, reasoning});
        Arbitrary<UsageEvent.Builder> identity = Combinators.combine(
                text(), text().injectNull(0.5), Arbitraries.integers().between(1, 6),
                Arbitraries.longs().between(FROM.toEpochMilli(), TO.toEpochMilli()),
                Arbitraries.of("openai", "anthropic", "aws.bedrock", "gcp.gemini", "gcp.vertex_ai", "azure.ai.openai"),
                text(), text().injectNull(0.3), Arbitraries.of("standard", "flex", "priority")
        ).as((requestId, retryOf, attempt, millis, provider, model, responseModel, tier) -> UsageEvent.newBuilder()
                .setRequestId(requestId).setRetryOf(retryOf).setAttempt(attempt)
                .setTimestamp(Instant.ofEpochMilli(millis)).setProvider(provider).setRequestModel(model)
                .setResponseModel(responseModel).setServiceTier(tier));
        Arbitrary<BigDecimal> cost = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100000"))
                .ofScale(12).injectNull(0.4);
        Arbitrary<Map<String, String>> attributes = Arbitraries.maps(text(), anyText(12)).ofMaxSize(4)
                .map(HashMap::new);
        Arbitrary<UsageEvent.Builder> outcome = Combinators.combine(identity, tokens,
                Arbitraries.of("success", "error", "timeout", "cancelled"),
                Arbitraries.longs().between(0, 600_000).injectNull(0.2), cost,
                Arbitraries.integers().between(0, 20), Arbitraries.of(true, false), attributes
        ).as((b, t, status, latency, reportedCost, webSearches, batch, tags) -> b
                .setInputTokens(t[0]).setCacheReadInputTokens(t[1]).setCacheCreationInputTokens(t[2])
                .setCacheCreation1hInputTokens(t[3]).setOutputTokens(t[4]).setReasoningOutputTokens(t[5])
                .setStatus(status).setLatencyMs(latency).setProviderReportedCostUsd(reportedCost)
                .setWebSearchCalls(webSearches).setBatch(batch).setAttributes(tags));
        return Combinators.combine(outcome, text().injectNull(0.3), text().injectNull(0.3), text().injectNull(0.3),
                text().injectNull(0.5), text().injectNull(0.5), text().injectNull(0.5), text().injectNull(0.5)
        ).as((b, team, feature, environment, customer, apiKey, agentRun, conversation) -> b
                .setTeam(team).setFeature(feature).setEnvironment(environment).setCustomerId(customer)
                .setApiKeyId(apiKey).setAgentRunId(agentRun).setConversationId(conversation)
                .setGateway(feature == null ? null : "gw-" + feature).setWorkload(team).setRegion(environment)
                .setTaskId(agentRun == null ? null : "task-" + agentRun)
                .build());
    }

    private static Arbitrary<Long> count() {
        return Arbitraries.longs().between(0, MAX_TOKENS);
    }

    /** Non-blank text with the characters JSON must escape and some beyond ASCII. */
    private static Arbitrary<String> text() {
        return anyText(24).filter(s -> !s.isBlank());
    }

    private static StringArbitrary anyText(int maxLength) {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', '\u00e9', '\u20ac', '\u65e5', '"', '\\')
                .ofMinLength(1).ofMaxLength(maxLength);
    }
}
