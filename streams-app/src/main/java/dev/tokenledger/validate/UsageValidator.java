package dev.tokenledger.validate;

import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks that a decoded usage event makes sense before it is priced: required identity, known
 * enumerations, non-negative counts, token subsets within their totals (the inclusive convention:
 * cache reads and writes are part of input_tokens, reasoning is part of output_tokens), and an
 * event time that is neither in the future beyond the allowed clock skew nor older than the
 * configured maximum age.
 *
 * <p>Runs for every event: no regular expressions, no exceptions, and the violation list is only
 * created when there is a violation. Thread-safe.
 */
public final class UsageValidator {

    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    private final long maxFutureSkewMillis;
    private final long maxAgeMillis;
    private final Duration maxFutureSkew;
    private final Duration maxAge;

    /**
     * @param maxFutureSkew how far ahead of {@code now} an event time may be (gateway clocks drift)
     * @param maxAge        how far behind {@code now} an event time may be, or null for no limit
     */
    public UsageValidator(Duration maxFutureSkew, Duration maxAge) {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        if (maxFutureSkew.isNegative() || (maxAge != null && maxAge.isNegative())) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        this.maxFutureSkew = maxFutureSkew;
        this.maxAge = maxAge;
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
        this.maxAgeMillis = maxAge == null ? 0 : maxAge.toMillis();
    }

    /** Five minutes of future skew, no maximum age. */
    public static UsageValidator withDefaults() {
        return new UsageValidator(DEFAULT_MAX_FUTURE_SKEW, null);
    }

    /** Every reason the event is invalid; empty when it is valid. */
    public List<Violation> validate(UsageEvent e, Instant now) {
        Found found = new Found();
        requireText(found, "request_id", e.getRequestId());
        requireText(found, "provider", e.getProvider());
        requireText(found, "request_model", e.getRequestModel());
        if (e.getAttempt() < 1) {
            found.add(Violation.INVALID_VALUE, "attempt", "attempt is " + e.getAttempt() + "; the first attempt is 1");
        }
        checkTimestamp(found, e.getTimestamp(), now);
        checkTier(found, e.getServiceTier());
        checkStatus(found, e.getStatus());
        checkCounts(found, e);
        checkSubsets(found, e);
        Long latency = e.getLatencyMs();
        if (latency != null && latency < 0) {
            found.add(Violation.INVALID_VALUE, "latency_ms", "latency_ms is negative: " + latency);
        }
        BigDecimal cost = e.getProviderReportedCostUsd();
        if (cost != null && cost.signum() < 0) {
            found.add(Violation.INVALID_VALUE, "provider_reported_cost_usd",
                    "provider_reported_cost_usd is negative: " + cost.toPlainString());
        }
        return found.list();
    }

    private void checkTimestamp(Found found, Instant timestamp, Instant now) {
        if (timestamp == null) {
            found.add(Violation.MISSING_FIELD, "timestamp", "timestamp is required");
            return;
        }
        long eventMillis = epochMillisSaturated(timestamp);
        long nowMillis = epochMillisSaturated(now);
        if (eventMillis > saturatedAdd(nowMillis, maxFutureSkewMillis)) {
            found.add(Violation.FUTURE_TIMESTAMP, "timestamp", "timestamp " + timestamp + " is more than "
                    + maxFutureSkew + " ahead of " + now);
        } else if (maxAge != null && eventMillis < saturatedAdd(nowMillis, -maxAgeMillis)) {
            found.add(Violation.TOO_OLD, "timestamp", "timestamp " + timestamp + " is older than "
                    + maxAge + " before " + now);
        }
    }

    /** Instant.toEpochMilli throws beyond the long range; an event that far out is simply very wrong. */
    private static long epochMillisSaturated(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1_000) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1_000) {
            return Long.MIN_VALUE;
        }
        return t.toEpochMilli();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    private static void checkTier(Found found, String tier) {
        if (tier == null) {
            found.add(Violation.MISSING_FIELD, "service_tier", "service_tier is required");
            return;
        }
        switch (tier) {
            case "standard", "flex", "priority" -> { }
            default -> found.add(Violation.INVALID_VALUE, "service_tier",
                    "service_tier '" + tier + "' is not one of standard, flex, priority");
        }
    }

    private static void checkStatus(Found found, String status) {
        if (status == null) {
            found.add(Violation.MISSING_FIELD, "status", "status is required");
            return;
        }
        switch (status) {
            case "success", "error", "timeout", "cancelled" -> { }
            default -> found.add(Violation.INVALID_VALUE, "status",
                    "status '" + status + "' is not one of success, error, timeout, cancelled");
        }
    }

    private static void checkCounts(Found found, UsageEvent e) {
        nonNegative(found, "input_tokens", e.getInputTokens());
        nonNegative(found, "cache_read_input_tokens", e.getCacheReadInputTokens());
        nonNegative(found, "cache_creation_input_tokens", e.getCacheCreationInputTokens());
        nonNegative(found, "cache_creation_1h_input_tokens", e.getCacheCreation1hInputTokens());
        nonNegative(found, "output_tokens", e.getOutputTokens());
        nonNegative(found, "reasoning_output_tokens", e.getReasoningOutputTokens());
        nonNegative(found, "web_search_calls", e.getWebSearchCalls());
    }

    /** Subsets are compared only when all their counts are non-negative; negatives are reported above. */
    private static void checkSubsets(Found found, UsageEvent e) {
        long input = e.getInputTokens();
        long cacheRead = e.getCacheReadInputTokens();
        long cacheCreation = e.getCacheCreationInputTokens();
        long cacheCreation1h = e.getCacheCreation1hInputTokens();
        long output = e.getOutputTokens();
        long reasoning = e.getReasoningOutputTokens();
        // cacheRead > input - cacheCreation instead of cacheRead + cacheCreation > input: no overflow
        if (input >= 0 && cacheRead >= 0 && cacheCreation >= 0
                && (cacheCreation > input || cacheRead > input - cacheCreation)) {
            found.add(Violation.SUBSET_EXCEEDS_TOTAL,
                    cacheCreation > input ? "cache_creation_input_tokens" : "cache_read_input_tokens",
                    "cache_read_input_tokens (" + cacheRead + ") + cache_creation_input_tokens (" + cacheCreation
                            + ") exceed input_tokens (" + input + "), which includes them");
        }
        if (cacheCreation >= 0 && cacheCreation1h > cacheCreation) {
            found.add(Violation.SUBSET_EXCEEDS_TOTAL, "cache_creation_1h_input_tokens",
                    "cache_creation_1h_input_tokens (" + cacheCreation1h + ") exceed cache_creation_input_tokens ("
                            + cacheCreation + "), which includes them");
        }
        if (output >= 0 && reasoning > output) {
            found.add(Violation.SUBSET_EXCEEDS_TOTAL, "reasoning_output_tokens",
                    "reasoning_output_tokens (" + reasoning + ") exceed output_tokens (" + output
                            + "), which includes them");
        }
    }

    private static void nonNegative(Found found, String field, long count) {
        if (count < 0) {
            found.add(Violation.NEGATIVE_COUNT, field, field + " is negative: " + count);
        }
    }

    private static void requireText(Found found, String field, String value) {
        if (value == null || value.isBlank()) {
            found.add(Violation.MISSING_FIELD, field, field + " is required and must not be blank");
        }
    }

    /** Collects violations; allocates only when there is one. */
    private static final class Found {
        private List<Violation> violations;

        void add(String reason, String field, String detail) {
            if (violations == null) {
                violations = new ArrayList<>(2);
            }
            violations.add(new Violation(reason, field, detail));
        }

        List<Violation> list() {
            return violations == null ? List.of() : violations;
        }
    }
}
