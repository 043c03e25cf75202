package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.priced;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PricedUsage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void shouldKeepOneGlobalScopeWhateverIdItIsGiven() {
        assertThat(new Scope("global", "all").key()).isEqualTo("global:*");
        assertThat(Scope.parseBudgetKey("global:global:monthly").key()).isEqualTo("global:*:monthly");
    }

    @Test
    void shouldParseBudgetKeysWhoseIdsContainColons() {
        Scope.BudgetRef ref = Scope.parseBudgetKey("customer:org:42:daily");
        assertThat(ref.scope()).isEqualTo(new Scope("customer", "org:42"));
        assertThat(ref.period()).isEqualTo(Period.DAILY);
        assertThat(Scope.parse("customer:org:42")).isEqualTo(new Scope("customer", "org:42"));
        assertThat(Scope.parseBudgetKey("team:search:weekly")).isNull();
        assertThat(Scope.parseBudgetKey("nonsense")).isNull();
    }

    @Test
    void shouldFanACallOutToEveryScopeItNames() {
        PricedUsage p = priced("r-1", Instant.parse("2026-11-02T10:00:00Z"), "0.5").build();
        p.getEvent().setWorkload("chat");
        p.getEvent().setAgentRunId("run-7");

        assertThat(ScopeFanOut.scopes(p)).extracting(Scope::key).containsExactly(
                "team:search", "feature:semantic-search", "customer:acme", "environment:production", "workload:chat",
                "global:*", "agent_run:run-7");
    }

    @Test
    void shouldSkipScopesTheEventDoesNotName() {
        PricedUsage p = priced("r-1", Instant.parse("2026-11-02T10:00:00Z"), "0.5").build();
        p.getEvent().setCustomerId(null);
        p.getEvent().setEnvironment(" ");

        assertThat(ScopeFanOut.scopes(p)).extracting(Scope::key)
                .containsExactly("team:search", "feature:semantic-search", "global:*");
    }

    @Test
    void shouldCarryTheCallsExactCostAndEventTime() {
        Instant at = Instant.parse("2026-11-02T10:00:00Z");
        var bundles = ScopeFanOut.bundles(priced("r-1", at, "0.000000000123").build(), 6);
        assertThat(bundles).allSatisfy(kv -> {
            assertThat(kv.value.getSpend().getCost()).isEqualTo(GovernFixtures.usd("0.000000000123"));
            assertThat(kv.value.getSpend().getEventTime()).isEqualTo(at);
            assertThat(kv.value.getSpend().getRequestId()).isEqualTo("r-1");
        });
    }

    @Test
    void shouldBundleTheScopesOfACallByThePartitionTheirKeysHashTo() {
        PricedUsage p = priced("r-1", Instant.parse("2026-11-02T10:00:00Z"), "0.5").build();
        for (int partitions : new int[] {1, 2, 6, 12}) {
            var bundles = ScopeFanOut.bundles(p, partitions);
            assertThat(bundles.stream().flatMap(kv -> kv.value.getScopes().stream()))
                    .as("every scope once").containsExactlyInAnyOrderElementsOf(ScopeFanOut.scopes(p).stream().map(Scope::key).toList());
            assertThat(bundles).allSatisfy(kv -> {
                int partition = ScopeFanOut.partitionOf(kv.key, partitions);
                assertThat(kv.value.getScopes()).allSatisfy(s -> assertThat(ScopeFanOut.partitionOf(s, partitions)).isEqualTo(partition));
            });
            assertThat(bundles.stream().map(kv -> ScopeFanOut.partitionOf(kv.key, partitions)).distinct()).hasSize(bundles.size());
        }
        assertThat(ScopeFanOut.bundles(p, 1)).hasSize(1);
    }

    @Test
    void shouldPartitionAsKafkasDefaultPartitionerDoes() {
        // The built-in partitioner: toPositive(murmur2(UTF-8 bytes)) % partitions.
        byte[] key = "team:search".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ScopeFanOut.partitionOf("team:search", 7))
                .isEqualTo(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(key, 7));
    }
}
