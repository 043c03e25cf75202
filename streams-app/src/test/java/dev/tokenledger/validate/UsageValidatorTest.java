package dev.tokenledger.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");
    private final UsageValidator validator = UsageValidator.withDefaults();

    /** A valid Anthropic call with cache reads, 5-minute and 1-hour cache writes. */
    static UsageEvent.Builder valid() {
        return UsageEvent.newBuilder()
                .setRequestId("3f1b7c9e-5d2a-4e8b-9c61-0a7d4f2e8b13")
                .setTimestamp(NOW.minusSeconds(30))
                .setProvider("anthropic")
                .setRequestModel("claude-sonnet-4-5")
                .setInputTokens(48_210)
                .setCacheReadInputTokens(36_000)
                .setCacheCreationInputTokens(9_800)
                .setCacheCreation1hInputTokens(6_000)
                .setOutputTokens(1_184)
                .setReasoningOutputTokens(0)
                .setLatencyMs(14_230L)
                .setProviderReportedCostUsd(new BigDecimal("0.051234000000"))
                .setAttributes(new HashMap<>());
    }

    private List<Violation> violationsOf(Consumer<UsageEvent.Builder> change) {
        UsageEvent.Builder builder = valid();
        change.accept(builder);
        return validator.validate(builder.build(), NOW);
    }

    @Test
    void shouldAcceptAValidEvent() {
        assertThat(validator.validate(valid().build(), NOW)).isEmpty();
    }

    @Test
    void shouldAcceptSubsetsExactlyEqualToTheirTotals() {
        assertThat(violationsOf(b -> b.setInputTokens(45_800).setCacheCreation1hInputTokens(9_800)
                .setReasoningOutputTokens(1_184))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void shouldRequireANonBlankRequestIdProviderAndModel(String blank) {
        assertThat(violationsOf(b -> b.setRequestId(blank).setProvider(blank).setRequestModel(blank)))
                .extracting(Violation::reason, Violation::field)
                .containsExactlyInAnyOrder(
                        tuple(Violation.MISSING_FIELD, "request_id"),
                        tuple(Violation.MISSING_FIELD, "provider"),
                        tuple(Violation.MISSING_FIELD, "request_model"));
    }

    @Test
    void shouldRejectAnAttemptBelowOne() {
        assertThat(violationsOf(b -> b.setAttempt(0)))
                .extracting(Violation::reason, Violation::field).containsExactly(tuple(Violation.INVALID_VALUE, "attempt"));
    }

    @Test
    void shouldRejectEveryNegativeCount() {
        assertThat(violationsOf(b -> b.setInputTokens(-1).setCacheReadInputTokens(-1).setCacheCreationInputTokens(-1)
                .setCacheCreation1hInputTokens(-1).setOutputTokens(-1).setReasoningOutputTokens(-1).setWebSearchCalls(-1)))
                .extracting(Violation::reason, Violation::field)
                .containsExactlyInAnyOrder(
                        tuple(Violation.NEGATIVE_COUNT, "input_tokens"),
                        tuple(Violation.NEGATIVE_COUNT, "cache_read_input_tokens"),
                        tuple(Violation.NEGATIVE_COUNT, "cache_creation_input_tokens"),
                        tuple(Violation.NEGATIVE_COUNT, "cache_creation_1h_input_tokens"),
                        tuple(Violation.NEGATIVE_COUNT, "output_tokens"),
                        tuple(Violation.NEGATIVE_COUNT, "reasoning_output_tokens"),
                        tuple(Violation.NEGATIVE_COUNT, "web_search_calls"));
    }

    @Test
    void shouldRejectCacheReadsAndWritesAboveInputTokens() {
        List<Violation> violations = violationsOf(b -> b.setInputTokens(45_799));
        assertThat(violations).extracting(Violation::reason, Violation::field)
                .containsExactly(tuple(Violation.SUBSET_EXCEEDS_TOTAL, "cache_read_input_tokens"));
        assertThat(violations.get(0).detail()).contains("36000").contains("9800").contains("45799");
    }

    @Test
    void shouldBlameCacheWritesWhenTheyAloneExceedInputTokens() {
        assertThat(violationsOf(b -> b.setInputTokens(5_000).setCacheReadInputTokens(0)))
                .extracting(Violation::reason, Violation::field)
                .containsExactly(tuple(Violation.SUBSET_EXCEEDS_TOTAL, "cache_creation_input_tokens"));
    }

    @Test
    void shouldNotOverflowWhenCacheCountsAreHuge() {
        assertThat(violationsOf(b -> b.setInputTokens(Long.MAX_VALUE).setCacheReadInputTokens(Long.MAX_VALUE)
                .setCacheCreationInputTokens(Long.MAX_VALUE)))
                .extracting(Violation::reason).containsExactly(Violation.SUBSET_EXCEEDS_TOTAL);
    }

    @Test
    void shouldRejectOneHourWritesAboveAllCacheWrites() {
        assertThat(violationsOf(b -> b.setCacheCreation1hInputTokens(9_801)))
                .extracting(Violation::reason, Violation::field)
                .containsExactly(tuple(Violation.SUBSET_EXCEEDS_TOTAL, "cache_creation_1h_input_tokens"));
    }

    @Test
    void shouldRejectReasoningAboveOutputTokens() {
        assertThat(violationsOf(b -> b.setReasoningOutputTokens(1_185)))
                .extracting(Violation::reason, Violation::field)
                .containsExactly(tuple(Violation.SUBSET_EXCEEDS_TOTAL, "reasoning_output_tokens"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"success", "error", "timeout", "cancelled"})
    void shouldAcceptEveryKnownStatus(String status) {
        assertThat(violationsOf(b -> b.setStatus(status))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", "SUCCESS", "failed", ""})
    void shouldRejectAnUnknownStatus(String status) {
        assertThat(violationsOf(b -> b.setStatus(status)))
                .extracting(Violation::reason, Violation::field).containsExactly(tuple(Violation.INVALID_VALUE, "status"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"standard", "flex", "priority"})
    void shouldAcceptEveryKnownServiceTier(String tier) {
        assertThat(violationsOf(b -> b.setServiceTier(tier))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "scale", "batch", "Standard"})
    void shouldRejectAnUnknownServiceTier(String tier) {
        assertThat(violationsOf(b -> b.setServiceTier(tier)))
                .extracting(Violation::reason, Violation::field).containsExactly(tuple(Violation.INVALID_VALUE, "service_tier"));
    }

    @Test
    void shouldAllowClockSkewUpToTheLimit() {
        assertThat(violationsOf(b -> b.setTimestamp(NOW.plus(Duration.ofMinutes(5))))).isEmpty();
    }

    @Test
    void shouldRejectATimestampBeyondTheFutureSkew() {
        assertThat(violationsOf(b -> b.setTimestamp(NOW.plus(Duration.ofMinutes(5)).plusMillis(1))))
                .extracting(Violation::reason, Violation::field).containsExactly(tuple(Violation.FUTURE_TIMESTAMP, "timestamp"));
    }

    @Test
    void shouldUseTheConfiguredFutureSkew() {
        UsageValidator strict = new UsageValidator(Duration.ofSeconds(1), null);
        UsageEvent e = valid().setTimestamp(NOW.plusSeconds(2)).build();
        assertThat(strict.validate(e, NOW)).extracting(Violation::reason).containsExactly(Violation.FUTURE_TIMESTAMP);
        assertThat(validator.validate(e, NOW)).isEmpty();
    }

    @Test
    void shouldAcceptOldEventsWhenNoMaximumAgeIsSet() {
        assertThat(violationsOf(b -> b.setTimestamp(Instant.parse("2019-01-01T00:00:00Z")))).isEmpty();
    }

    @Test
    void shouldRejectEventsOlderThanTheConfiguredMaximumAge() {
        UsageValidator recentOnly = new UsageValidator(Duration.ofMinutes(5), Duration.ofDays(7));
        assertThat(recentOnly.validate(valid().setTimestamp(NOW.minus(Duration.ofDays(7))).build(), NOW)).isEmpty();
        assertThat(recentOnly.validate(valid().setTimestamp(NOW.minus(Duration.ofDays(7)).minusMillis(1)).build(), NOW))
                .extracting(Violation::reason, Violation::field).containsExactly(tuple(Violation.TOO_OLD, "timestamp"));
    }

    @Test
    void shouldHandleTimestampsAtTheEdgesOfTime() {
        UsageValidator recentOnly = new UsageValidator(Duration.ofMinutes(5), Duration.ofDays(7));
        assertThat(recentOnly.validate(valid().setTimestamp(Instant.MAX).build(), NOW))
                .extracting(Violation::reason).containsExactly(Violation.FUTURE_TIMESTAMP);
        assertThat(recentOnly.validate(valid().setTimestamp(Instant.MIN).build(), NOW))
                .extracting(Violation::reason).containsExactly(Violation.TOO_OLD);
    }

    @Test
    void shouldRejectANegativeProviderCost() {
        assertThat(violationsOf(b -> b.setProviderReportedCostUsd(new BigDecimal("-0.000001000000"))))
                .extracting(Violation::reason, Violation::field)
                .containsExactly(tuple(Violation.INVALID_VALUE, "provider_reported_cost_usd"));
    }

    @Test
    void shouldAcceptAZeroOrAbsentProviderCost() {
        assertThat(violationsOf(b -> b.setProviderReportedCostUsd(new BigDecimal("0E-12")))).isEmpty();
        assertThat(violationsOf(b -> b.setProviderReportedCostUsd(null))).isEmpty();
    }

    @Test
    void shouldRejectANegativeLatency() {
        assertThat(violationsOf(b -> b.setLatencyMs(-1L)))
                .extracting(Violation::reason, Violation::field).containsExactly(tuple(Violation.INVALID_VALUE, "latency_ms"));
    }

    @Test
    void shouldReportEveryProblemOfOneEvent() {
        assertThat(violationsOf(b -> b.setAttempt(0).setStatus("ok").setReasoningOutputTokens(5_000).setLatencyMs(-5L)))
                .extracting(Violation::field)
                .containsExactlyInAnyOrder("attempt", "status", "reasoning_output_tokens", "latency_ms");
    }

    @Test
    void shouldRefuseNegativeLimits() {
        assertThatThrownBy(() -> new UsageValidator(Duration.ofMinutes(-1), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UsageValidator(Duration.ZERO, Duration.ofDays(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
