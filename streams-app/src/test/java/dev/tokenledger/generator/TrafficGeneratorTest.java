package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenledger.avro.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final int SAMPLE = 100_000;
    private static final Set<String> STATUSES = Set.of("success", "error", "timeout", "cancelled");
    private static final Set<String> TIERS = Set.of("standard", "flex", "priority");

    private static GeneratorOptions defaults;
    private static List<UsageEvent> sample;
    /** The sample without re-published duplicates: one event per request_id. */
    private static List<UsageEvent> firstPublications;

    @BeforeAll
    static void generateSample() {
        defaults = GeneratorOptions.defaults(42, START);
        sample = take(new TrafficGenerator(defaults), SAMPLE);
        Set<String> seen = new HashSet<>();
        firstPublications = sample.stream().filter(e -> seen.add(e.getRequestId())).collect(Collectors.toList());
    }

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        List<UsageEvent> first = take(new TrafficGenerator(defaults.withSeed(7)), 20_000);
        List<UsageEvent> second = take(new TrafficGenerator(defaults.withSeed(7)), 20_000);
        List<UsageEvent> otherSeed = take(new TrafficGenerator(defaults.withSeed(8)), 20_000);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed.get(0)).isNotEqualTo(first.get(0));
        assertThat(ids(otherSeed)).doesNotContainAnyElementsOf(ids(first).subList(0, 1_000));
    }

    @Test
    void shouldKeepEveryEventWithinTheContractInvariants() {
        for (UsageEvent e : sample) {
            assertThat(e.getRequestId()).isNotBlank();
            assertThat(e.getTimestamp()).isNotNull();
            assertThat(e.getProvider()).isNotBlank();
            assertThat(e.getRequestModel()).isNotBlank();
            assertThat(e.getGateway()).isEqualTo(defaults.gateway());
            assertThat(e.getStatus()).isIn(STATUSES);
            assertThat(e.getServiceTier()).isIn(TIERS);
            assertThat(e.getInputTokens()).isNotNegative();
            assertThat(e.getCacheReadInputTokens()).isNotNegative();
            assertThat(e.getCacheCreationInputTokens()).isNotNegative();
            assertThat(e.getCacheCreation1hInputTokens()).isNotNegative();
            assertThat(e.getOutputTokens()).isNotNegative();
            assertThat(e.getReasoningOutputTokens()).isNotNegative();
            assertThat(e.getWebSearchCalls()).isNotNegative();
            assertThat(e.getCacheReadInputTokens() + e.getCacheCreationInputTokens()).isLessThanOrEqualTo(e.getInputTokens());
            assertThat(e.getCacheCreation1hInputTokens()).isLessThanOrEqualTo(e.getCacheCreationInputTokens());
            assertThat(e.getReasoningOutputTokens()).isLessThanOrEqualTo(e.getOutputTokens());
            assertThat(e.getAttempt()).isBetween(1, 3);
            assertThat(e.getRetryOf() != null).isEqualTo(e.getAttempt() > 1);
            if (e.getLatencyMs() != null) {
                assertThat(e.getLatencyMs()).isPositive();
            }
            if (e.getProviderReportedCostUsd() != null) {
                assertThat(e.getProviderReportedCostUsd().scale()).isEqualTo(12);
                assertThat(e.getProviderReportedCostUsd().signum()).isPositive();
            }
        }
    }

    @Test
    void shouldPointEveryRetryAtAFailedFirstAttemptThatCameBefore() {
        Map<String, UsageEvent> earlier = new HashMap<>();
        int retries = 0;
        int sameInput = 0;
        for (UsageEvent e : firstPublications) {
            if (e.getAttempt() > 1) {
                retries++;
                UsageEvent first = earlier.get(e.getRetryOf());
                assertThat(first).as("first attempt of %s", e.getRequestId()).isNotNull();
                assertThat(first.getAttempt()).isEqualTo(1);
                assertThat(first.getStatus()).isIn("error", "timeout");
                assertThat(e.getFeature()).isEqualTo(first.getFeature());
                assertThat(e.getApiKeyId()).isEqualTo(first.getApiKeyId());
                assertThat(e.getRequestModel()).isEqualTo(first.getRequestModel());
                if (first.getInputTokens() > 0 && e.getInputTokens() > 0) {
                    sameInput++;
                    assertThat(e.getInputTokens()).isEqualTo(first.getInputTokens());
                }
            }
            earlier.put(e.getRequestId(), e);
        }
        assertThat(retries).isPositive();
        assertThat(sameInput).isGreaterThan(retries / 3);
        assertThat(firstPublications).anyMatch(e -> e.getAttempt() == 3);
    }

    @Test
    void shouldMixTrafficAsTheDemoDefaultsSay() {
        assertThat(share(firstPublications, e -> e.getFeature() == null)).isCloseTo(0.08, within(0.006));
        assertThat(share(firstPublications, e -> e.getRequestModel().equals("acme-llm-7b"))).isCloseTo(0.005, within(0.0015));
        assertThat(duplicateShare(sample)).isCloseTo(0.01, within(0.002));
        // Each retried request gets attempt 2 and a quarter of them attempt 3; batch calls are not retried.
        assertThat(share(firstPublications, e -> e.getAttempt() > 1)).isCloseTo(0.03 * 1.25 * 0.96, within(0.006));
        List<UsageEvent> tagged = firstPublications.stream().filter(e -> e.getFeature() != null).toList();
        for (FeatureProfile profile : Catalog.FEATURES) {
            assertThat(share(tagged, e -> e.getFeature().equals(profile.feature)))
                    .as(profile.feature).isCloseTo(profile.weight / 100.0, within(0.008));
        }
    }

    @Test
    void shouldFollowConfiguredRatesRatherThanDefaults() {
        GeneratorOptions options = defaults.withUntaggedRate(0.3).withUnknownModelRate(0.05).withDuplicateRate(0.1)
                .withRetryRate(0.0).withErrorRate(0.2);
        List<UsageEvent> events = take(new TrafficGenerator(options), SAMPLE);
        Set<String> seen = new HashSet<>();
        List<UsageEvent> unique = events.stream().filter(e -> seen.add(e.getRequestId())).toList();

        assertThat(share(unique, e -> e.getFeature() == null)).isCloseTo(0.3, within(0.01));
        assertThat(share(unique, e -> e.getRequestModel().equals("acme-llm-7b"))).isCloseTo(0.05, within(0.005));
        assertThat(duplicateShare(events)).isCloseTo(0.1, within(0.005));
        assertThat(unique).noneMatch(e -> e.getAttempt() > 1);
        assertThat(share(unique, e -> !e.getStatus().equals("success"))).isCloseTo(0.2, within(0.01));
    }

    @Test
    void shouldRepublishDuplicatesIdenticallyUnderTheSameRequestId() {
        Map<String, UsageEvent> firstSeen = new HashMap<>();
        int duplicates = 0;
        for (UsageEvent e : sample) {
            UsageEvent original = firstSeen.putIfAbsent(e.getRequestId(), e);
            if (original != null) {
                duplicates++;
                assertThat(e).isEqualTo(original).isNotSameAs(original);
            }
        }
        assertThat(duplicates).isGreaterThan(500);
    }

    @Test
    void shouldNotRepeatRequestIdsWithoutDuplicates() {
        List<UsageEvent> events = take(new TrafficGenerator(defaults.withDuplicateRate(0)), SAMPLE);
        assertThat(new HashSet<>(ids(events))).hasSize(SAMPLE);
    }

    @Test
    void shouldAdvanceEventTimeAtTheConfiguredRateWithOnlySlightlyLateEvents() {
        GeneratorOptions options = defaults.withEventsPerSecondOfEventTime(50).withDuplicateRate(0)
                .withMaxLateness(Duration.ofSeconds(3));
        List<UsageEvent> events = take(new TrafficGenerator(options), SAMPLE);
        long latest = Long.MIN_VALUE;
        int late = 0;
        for (UsageEvent e : events) {
            long millis = e.getTimestamp().toEpochMilli();
            assertThat(millis).isGreaterThanOrEqualTo(START.toEpochMilli());
            if (millis < latest) {
                late++;
                assertThat(latest - millis).isLessThanOrEqualTo(3_000);
            }
            latest = Math.max(latest, millis);
        }
        assertThat(late / (double) SAMPLE).isCloseTo(0.01, within(0.002));
        Duration span = Duration.between(START, events.get(SAMPLE - 1).getTimestamp());
        assertThat(span.toSeconds()).isBetween(1_995L, 2_005L);
    }

    @Test
    void shouldGroupAgentStepsUnderOneRunWithGrowingContext() {
        Map<String, List<UsageEvent>> runs = firstPublications.stream().filter(e -> e.getAgentRunId() != null)
                .filter(e -> e.getAttempt() == 1)
                .collect(Collectors.groupingBy(UsageEvent::getAgentRunId));
        assertThat(runs.values().stream().mapToInt(List::size).average().orElse(0)).isGreaterThan(4);
        for (List<UsageEvent> run : runs.values()) {
            assertThat(run).extracting(UsageEvent::getFeature).containsOnly(run.get(0).getFeature());
            assertThat(run).extracting(UsageEvent::getCustomerId).containsOnly(run.get(0).getCustomerId());
            assertThat(run).extracting(UsageEvent::getTaskId).containsOnly(run.get(0).getTaskId());
        }
        assertThat(runs.keySet()).allMatch(id -> id.startsWith("run_"));
        long growing = runs.values().stream().filter(run -> run.size() >= 3)
                .filter(run -> run.get(2).getInputTokens() > run.get(0).getInputTokens()).count();
        long longRuns = runs.values().stream().filter(run -> run.size() >= 3).count();
        assertThat(growing / (double) longRuns).isGreaterThan(0.8);
        assertThat(firstPublications).filteredOn(e -> e.getFeature() != null && e.getFeature().equals("support-copilot"))
                .allMatch(e -> e.getConversationId() != null && e.getAgentRunId() == null);
    }

    @Test
    void shouldCarryOnlyAnApiKeyOnUntaggedTraffic() {
        List<UsageEvent> untagged = firstPublications.stream().filter(e -> e.getFeature() == null).toList();
        assertThat(untagged).allMatch(e -> e.getTeam() == null && e.getApiKeyId() != null && e.getCustomerId() == null);
        Set<String> keys = untagged.stream().map(UsageEvent::getApiKeyId).collect(Collectors.toSet());
        Set<String> registered = new HashSet<>();
        Set<String> unregistered = new HashSet<>();
        Catalog.UNTAGGED_SOURCES.values().forEach(s -> (s.registered() ? registered : unregistered).add(s.apiKeyId()));
        assertThat(keys).containsAll(registered).containsAll(unregistered);
        assertThat(share(untagged, e -> registered.contains(e.getApiKeyId()))).isCloseTo(0.55, within(0.02));
        assertThat(firstPublications).filteredOn(e -> e.getFeature() != null)
                .allMatch(e -> e.getApiKeyId().equals("vk-" + e.getFeature()) && e.getTeam() != null);
    }

    @Test
    void shouldSkewCustomerTrafficTowardsTheLargestCustomers() {
        Map<String, Long> perCustomer = firstPublications.stream().filter(e -> e.getCustomerId() != null)
                .collect(Collectors.groupingBy(UsageEvent::getCustomerId, Collectors.counting()));
        assertThat(perCustomer).hasSizeGreaterThan(45);
        long top = perCustomer.get("cust-001");
        long tenth = perCustomer.get("cust-010");
        long fortieth = perCustomer.get("cust-040");
        assertThat(top).isGreaterThan(5 * tenth);
        assertThat(tenth).isGreaterThan(2 * fortieth);
        assertThat(perCustomer.values().stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(top);
    }

    @Test
    void shouldShapeTokensPerModelFamilyAndTier() {
        assertThat(firstPublications).filteredOn(e -> e.getReasoningOutputTokens() > 0)
                .allMatch(e -> Set.of("o3", "gpt-5", "gpt-5-mini", "gemini-2.5-flash", "gemini-2.5-pro")
                        .contains(e.getRequestModel()));
        assertThat(firstPublications).filteredOn(e -> e.getCacheCreationInputTokens() > 0)
                .allMatch(e -> e.getProvider().equals("anthropic") || e.getProvider().equals("aws.bedrock"));
        assertThat(firstPublications).anyMatch(e -> e.getCacheCreation1hInputTokens() > 0);
        assertThat(firstPublications).anyMatch(e -> e.getInputTokens() > 200_000);
        assertThat(firstPublications).filteredOn(e -> e.getInputTokens() > 200_000)
                .allMatch(e -> Set.of("claude-sonnet-4-5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                        "gemini-2.5-pro", "gpt-5").contains(e.getRequestModel()));
        assertThat(firstPublications).filteredOn(UsageEvent::getBatch).allMatch(e -> e.getLatencyMs() == null)
                .hasSizeGreaterThan(1_000);
        assertThat(firstPublications).filteredOn(e -> e.getServiceTier().equals("flex"))
                .allMatch(e -> Set.of("o3", "gpt-5", "gpt-5-mini").contains(e.getRequestModel()))
                .isNotEmpty();
        assertThat(firstPublications).filteredOn(e -> e.getProvider().equals("aws.bedrock"))
                .allMatch(e -> "us-east-1".equals(e.getRegion())).isNotEmpty();
        assertThat(firstPublications).anyMatch(e -> e.getWebSearchCalls() > 0);
    }

    @Test
    void shouldReportProviderCostOnSomeSuccessfulOpenAiCallsOnly() {
        List<UsageEvent> withCost = firstPublications.stream().filter(e -> e.getProviderReportedCostUsd() != null).toList();
        assertThat(withCost).allMatch(e -> e.getProvider().equals("openai") && e.getStatus().equals("success")
                && !e.getRequestModel().equals("acme-llm-7b"));
        long openAiSuccesses = firstPublications.stream()
                .filter(e -> e.getProvider().equals("openai") && e.getStatus().equals("success")).count();
        assertThat(withCost.size() / (double) openAiSuccesses).isCloseTo(0.1, within(0.02));
    }

    @Test
    void shouldBillFailuresOnlyForWhatTheyConsumed() {
        List<UsageEvent> failures = firstPublications.stream().filter(e -> !e.getStatus().equals("success")).toList();
        assertThat(failures).anyMatch(e -> e.getInputTokens() == 0 && e.getOutputTokens() == 0);
        assertThat(failures).anyMatch(e -> e.getInputTokens() > 0);
        assertThat(failures).allMatch(e -> e.getWebSearchCalls() == 0 && e.getProviderReportedCostUsd() == null);
        assertThat(failures).filteredOn(e -> e.getStatus().equals("timeout") && !e.getBatch())
                .allMatch(e -> e.getLatencyMs() >= 60_000);
    }

    @Test
    void shouldInterleaveMalformedPayloadsAtTheConfiguredRate() {
        TrafficGenerator generator = new TrafficGenerator(defaults.withMalformedRate(0.05));
        int malformed = 0;
        Set<MalformedKind> kinds = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            GeneratedRecord record = generator.nextRecord();
            if (record instanceof GeneratedRecord.Malformed bad) {
                malformed++;
                kinds.add(bad.kind());
                assertThat(bad.payload()).isNotEmpty();
            }
        }
        assertThat(malformed / 20_000.0).isCloseTo(0.05, within(0.006));
        assertThat(kinds).containsExactlyInAnyOrder(MalformedKind.values());
        assertThat(generator.malformedEmitted()).isEqualTo(malformed);
        assertThat(generator.emitted()).isEqualTo(20_000 - malformed);
    }

    private static List<UsageEvent> take(TrafficGenerator generator, int count) {
        List<UsageEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(generator.next());
        }
        return events;
    }

    private static List<String> ids(List<UsageEvent> events) {
        return events.stream().map(UsageEvent::getRequestId).toList();
    }

    private static double share(List<UsageEvent> events, Predicate<UsageEvent> predicate) {
        return events.stream().filter(predicate).count() / (double) events.size();
    }

    private static double duplicateShare(List<UsageEvent> events) {
        Set<String> seen = new HashSet<>();
        long repeats = events.stream().filter(e -> !seen.add(e.getRequestId())).count();
        return repeats / (double) events.size();
    }
}
