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
        var fanned = ScopeFanOut.fanOut(priced("r-1", at, "0.000000000123").build());
        assertThat(fanned).allSatisfy(kv -> {
            assertThat(kv.value.getCost()).isEqualTo(GovernFixtures.usd("0.000000000123"));
            assertThat(kv.value.getEventTime()).isEqualTo(at);
            assertThat(kv.value.getRequestId()).isEqualTo("r-1");
        });
    }
}
