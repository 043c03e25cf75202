package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.priced;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.aggregate.RollupKeys;
import dev.tokenledger.aggregate.SpendDelta;
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
    void shouldFanSpendOutToEveryScopeItsCallsName() {
        PricedUsage p = priced("r-1", Instant.parse("2026-11-02T10:00:00Z"), "0.5").build();
        p.getEvent().setWorkload("chat");
        p.getEvent().setAgentRunId("run-7");

        assertThat(scopes(p)).extracting(Scope::key).containsExactly(
                "team:search", "feature:semantic-search", "customer:acme", "environment:production", "workload:chat",
                "global:*");
        assertThat(ScopeFanOut.agentRunCall(p).key).as("the run is no budget scope: its calls go to the ceiling")
                .isEqualTo("agent_run:run-7");
    }

    @Test
    void shouldSkipScopesTheEventDoesNotName() {
        PricedUsage p = priced("r-1", Instant.parse("2026-11-02T10:00:00Z"), "0.5").build();
        p.getEvent().setCustomerId(null);
        p.getEvent().setEnvironment(" ");

        assertThat(scopes(p)).extracting(Scope::key)
                .containsExactly("team:search", "feature:semantic-search", "global:*");
        assertThat(ScopeFanOut.agentRunCall(p)).isNull();
    }

    @Test
    void shouldCarryTheSummedExactCostNamedAfterTheNewestCall() {
        Instant at = Instant.parse("2026-11-02T10:00:00Z");
        PricedUsage first = priced("r-1", at.plusSeconds(5), "0.000000000123").build();
        PricedUsage second = priced("r-2", at, "0.5").build();
        SpendDelta sum = SpendDelta.of(first).plus(SpendDelta.of(second));
        var bundles = ScopeFanOut.bundles(RollupKeys.dimensions(first), sum, 6);
        assertThat(bundles).allSatisfy(kv -> {
            assertThat(kv.value.getSpend().getCost()).isEqualTo(GovernFixtures.usd("0.500000000123"));
            assertThat(kv.value.getSpend().getCalls()).isEqualTo(2);
            assertThat(kv.value.getSpend().getEventTime()).isEqualTo(at.plusSeconds(5));
            assertThat(kv.value.getSpend().getRequestId()).isEqualTo("r-1");
        });
    }

    @Test
    void shouldBundleTheScopesOfSpendByThePartitionTheirKeysHashTo() {
        PricedUsage p = priced("r-1", Instant.parse("2026-11-02T10:00:00Z"), "0.5").build();
        p.getEvent().setWorkload("chat");
        for (int partitions : new int[] {1, 2, 6, 12}) {
            var bundles = ScopeFanOut.bundles(RollupKeys.dimensions(p), SpendDelta.of(p), partitions);
            assertThat(bundles.stream().flatMap(kv -> kv.value.getScopes().stream()))
                    .as("every scope once").containsExactlyInAnyOrderElementsOf(scopes(p).stream().map(Scope::key).toList());
            assertThat(bundles).allSatisfy(kv -> {
                int partition = ScopeFanOut.partitionOf(kv.key, partitions);
                assertThat(kv.value.getScopes()).allSatisfy(s -> assertThat(ScopeFanOut.partitionOf(s, partitions)).isEqualTo(partition));
            });
            assertThat(bundles.stream().map(kv -> ScopeFanOut.partitionOf(kv.key, partitions)).distinct()).hasSize(bundles.size());
        }
        assertThat(ScopeFanOut.bundles(RollupKeys.dimensions(p), SpendDelta.of(p), 1)).hasSize(1);
    }

    private static java.util.List<Scope> scopes(PricedUsage p) {
        return ScopeFanOut.scopes(RollupKeys.dimensions(p), SpendDelta.of(p).workload());
    }

    @Test
    void shouldPartitionAsKafkasDefaultPartitionerDoes() {
        // The built-in partitioner: toPositive(murmur2(UTF-8 bytes)) % partitions.
        byte[] key = "team:search".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ScopeFanOut.partitionOf("team:search", 7))
                .isEqualTo(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(key, 7));
    }
}
