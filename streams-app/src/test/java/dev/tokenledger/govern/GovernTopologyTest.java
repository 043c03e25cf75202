package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.SpendContributor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GovernTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-10T12:00:00Z");

    @TempDir
    Path stateDir;

    GovernHarness govern;

    @AfterEach
    void tearDown() {
        if (govern != null) {
            govern.close();
        }
    }

    GovernHarness start(Instant wallClock, Map<String, String> config) {
        govern = new GovernHarness(stateDir, wallClock, config);
        return govern;
    }

    GovernHarness start() {
        return start(T0, Map.of());
    }

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void shouldRaiseSoftExactlyAtItsThresholdAndHardExactlyAtItsOwn() {
        start().budget(budget("team", "search", "monthly", "100", 80, 100, "block"));

        govern.call("r-1", at(1), "79.999999999999");
        assertThat(govern.alerts("soft", "hard")).isEmpty();
        govern.call("r-2", at(2), "0.000000000001");
        List<KeyValue<String, BudgetAlert>> soft = govern.keyedAlerts();
        assertThat(soft).hasSize(1);
        assertThat(soft.get(0).key).isEqualTo("team:search:monthly");
        BudgetAlert alert = soft.get(0).value;
        assertThat(alert.getKind()).isEqualTo("soft");
        assertThat(alert.getSpend()).isEqualTo(usd("80"));
        assertThat(alert.getThreshold()).isEqualTo(usd("80"));
        assertThat(alert.getPercent()).isEqualTo(new BigDecimal("80.00"));
        assertThat(alert.getAction()).isEqualTo("alert");
        assertThat(alert.getRequestId()).isEqualTo("r-2");
        assertThat(alert.getOwner()).isEqualTo("owner-of-search@example.com");
        assertThat(alert.getPeriodStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));

        govern.call("r-3", at(3), "19.999999999999");
        assertThat(govern.alerts()).isEmpty();
        govern.call("r-4", at(4), "0.000000000001");
        BudgetAlert hard = govern.alerts().get(0);
        assertThat(hard.getKind()).isEqualTo("hard");
        assertThat(hard.getSpend()).isEqualTo(usd("100"));
        assertThat(hard.getAction()).isEqualTo("block");
        assertThat(hard.getPercent()).isEqualTo(new BigDecimal("100.00"));
    }

    @Test
    void shouldRaiseJustAboveAThresholdWhenACallSkipsPastIt() {
        start().budget(budget("team", "search", "daily", "10", 50, 100, "queue"));

        govern.call("r-1", at(1), "5.000000000001");
        BudgetAlert soft = govern.alerts("soft", "hard").get(0);
        assertThat(soft.getKind()).isEqualTo("soft");
        assertThat(soft.getPeriod()).isEqualTo("daily");
        assertThat(soft.getPercent()).isEqualTo(new BigDecimal("50.00"));

        govern.call("r-2", at(2), "5");
        assertThat(govern.alerts()).extracting(BudgetAlert::getKind, BudgetAlert::getAction)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hard", "queue"));
    }

    @Test
    void shouldNeverRepeatAnAlertForTheSamePeriod() {
        start().budget(budget("team", "search", "monthly", "10", 80, 100, "block"));

        for (int i = 0; i < 50; i++) {
            govern.call("r-" + i, at(i), "1");
            govern.advance(Duration.ofSeconds(1));
        }
        assertThat(govern.alerts()).extracting(BudgetAlert::getKind).containsExactly("forecast", "soft", "hard");
        assertThat(govern.count("tokenledger.govern.alerts", "kind", "hard")).isEqualTo(1.0);
    }

    @Test
    void shouldTellTheGatewayAtOnceWhenTheStateChangesAndCoalesceSpendOnlyUpdates() {
        start().budget(budget("team", "search", "monthly", "10", 80, 100, "downgrade:gpt-4o-mini"));

        govern.call("r-1", at(1), "1");
        List<KeyValue<String, BudgetStatus>> first = govern.statuses();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).key).isEqualTo("team:search:monthly:2026-11-01");
        assertThat(first.get(0).value.getState()).isEqualTo("ok");
        assertThat(first.get(0).value.getAction()).isEqualTo("none");

        govern.call("r-2", at(2), "1");
        govern.call("r-3", at(3), "1");
        assertThat(govern.statuses()).isEmpty();

        govern.call("r-4", at(4), "5");
        BudgetStatus soft = govern.statuses().get(0).value;
        assertThat(soft.getState()).isEqualTo("soft");
        assertThat(soft.getAction()).isEqualTo("alert");
        assertThat(soft.getSpend()).isEqualTo(usd("8"));

        govern.call("r-5", at(5), "1");
        assertThat(govern.statuses()).isEmpty();
        govern.advance(Duration.ofSeconds(5));
        BudgetStatus refreshed = govern.statuses().get(0).value;
        assertThat(refreshed.getState()).isEqualTo("soft");
        assertThat(refreshed.getSpend()).isEqualTo(usd("9"));

        govern.call("r-6", at(6), "1");
        BudgetStatus hard = govern.statuses().get(0).value;
        assertThat(hard.getState()).isEqualTo("hard");
        assertThat(hard.getAction()).isEqualTo("downgrade:gpt-4o-mini");
        assertThat(hard.getBudget()).isEqualTo(usd("10"));
        assertThat(hard.getHardThreshold()).isEqualTo(usd("10"));
        assertThat(hard.getOwner()).isEqualTo("owner-of-search@example.com");
    }

    @Test
    void shouldApplyABudgetLoweredMidMonthAtOnce() {
        start().budget(budget("team", "search", "monthly", "100", 80, 100, "block"));
        govern.call("r-1", at(1), "50");
        govern.statuses();
        assertThat(govern.alerts("soft", "hard")).isEmpty();

        govern.budget(budget("team", "search", "monthly", "50", 80, 100, "block"));
        govern.advance(Duration.ofSeconds(1));

        assertThat(govern.alerts()).extracting(BudgetAlert::getKind).containsExactly("soft", "hard");
        BudgetStatus status = govern.statuses().get(0).value;
        assertThat(status.getState()).isEqualTo("hard");
        assertThat(status.getAction()).isEqualTo("block");
        assertThat(status.getBudget()).isEqualTo(usd("50"));
    }

    @Test
    void shouldRearmAThresholdWhenABudgetIsRaisedAndAlertAgainAtTheNewOne() {
        start().budget(budget("team", "search", "monthly", "100", 80, 100, "block"));
        govern.call("r-1", at(1), "85");
        assertThat(govern.alerts("soft", "hard")).extracting(BudgetAlert::getKind).containsExactly("soft");

        govern.budget(budget("team", "search", "monthly", "200", 80, 100, "block"));
        govern.advance(Duration.ofSeconds(1));
        assertThat(govern.alerts()).isEmpty();
        assertThat(govern.statuses()).last().extracting(kv -> kv.value.getState()).isEqualTo("ok");

        govern.call("r-2", at(2), "74.999999999999");
        assertThat(govern.alerts()).isEmpty();
        govern.call("r-3", at(3), "0.000000000001");
        BudgetAlert again = govern.alerts().get(0);
        assertThat(again.getKind()).isEqualTo("soft");
        assertThat(again.getThreshold()).isEqualTo(usd("160"));
        assertThat(again.getAlertId()).isEqualTo("team:search:monthly:2026-11-01:soft:160");
    }

    @Test
    void shouldApplyAnEditedBudgetToTheVeryNextCall() {
        start().budget(budget("team", "search", "monthly", "100", 80, 100, "alert"));
        govern.call("r-1", at(1), "10");
        govern.budget(budget("team", "search", "monthly", "12", 80, 100, "queue"));
        govern.call("r-2", at(2), "2");

        assertThat(govern.alerts("soft", "hard")).extracting(BudgetAlert::getKind, BudgetAlert::getAction)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("soft", "alert"), org.assertj.core.groups.Tuple.tuple("hard", "queue"));
    }

    @Test
    void shouldStartTheNewMonthAtOkEvenWithoutAnyCallInIt() {
        Instant lateNovember = Instant.parse("2026-11-30T23:00:00Z");
        start(lateNovember, Map.of()).budget(budget("customer", "acme", "monthly", "10", 80, 100, "block"));
        govern.call("r-1", lateNovember.plusSeconds(60), "12");
        assertThat(govern.alerts()).extracting(BudgetAlert::getKind).containsExactly("soft", "hard");
        assertThat(govern.statuses()).last().extracting(kv -> kv.value.getState()).isEqualTo("hard");

        govern.advance(Duration.ofMinutes(61));

        List<KeyValue<String, BudgetStatus>> december = govern.statuses();
        assertThat(december).hasSize(1);
        assertThat(december.get(0).key).isEqualTo("customer:acme:monthly:2026-12-01");
        assertThat(december.get(0).value.getState()).isEqualTo("ok");
        assertThat(december.get(0).value.getAction()).isEqualTo("none");
        assertThat(december.get(0).value.getSpend()).isEqualTo(usd("0"));
        assertThat(december.get(0).value.getPeriodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void shouldCountANewMonthFromZeroAndRaiseItsThresholdsAgain() {
        Instant lateNovember = Instant.parse("2026-11-30T23:00:00Z");
        start(lateNovember, Map.of()).budget(budget("customer", "acme", "monthly", "10", 80, 100, "block"));
        govern.call("r-1", lateNovember, "12");
        govern.alerts();

        govern.call("r-2", Instant.parse("2026-12-01T00:30:00Z"), "3");
        assertThat(govern.alerts("soft", "hard")).isEmpty();
        BudgetStatus december = govern.statuses().stream().reduce((a, b) -> b).orElseThrow().value;
        assertThat(december.getState()).isEqualTo("ok");
        assertThat(december.getSpend()).isEqualTo(usd("3"));

        govern.call("r-3", Instant.parse("2026-12-01T01:00:00Z"), "7");
        List<BudgetAlert> alerts = govern.alerts("soft", "hard");
        assertThat(alerts).extracting(BudgetAlert::getKind).containsExactly("soft", "hard");
        assertThat(alerts).allSatisfy(a -> assertThat(a.getPeriodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(alerts.get(1).getSpend()).isEqualTo(usd("10"));
    }

    @Test
    void shouldRaiseAForecastOnceWhenTheRunRateWouldCrossTheBudgetBeforeSpendDoes() {
        Instant day = Instant.parse("2026-11-10T00:00:00Z");
        start(day, Map.of()).budget(budget("feature", "semantic-search", "monthly", "100", 80, 100, "alert"));

        govern.call("r-0", day, "2");
        govern.call("r-1", day.plus(Duration.ofHours(1)), "2");
        assertThat(govern.alerts()).isEmpty();
        govern.call("r-2", day.plus(Duration.ofHours(2)), "2");

        BudgetAlert forecast = govern.alerts().get(0);
        assertThat(forecast.getKind()).isEqualTo("forecast");
        assertThat(forecast.getSpend()).isEqualTo(usd("6"));
        // $6 over the trailing window (23h from the oldest bucket to 02:00), 502h left in November.
        BigDecimal expected = usd("6").add(usd("6").multiply(BigDecimal.valueOf(502))
                .divide(BigDecimal.valueOf(23), 12, RoundingMode.HALF_EVEN));
        assertThat(forecast.getProjection()).isEqualTo(expected);
        assertThat(forecast.getThreshold()).isEqualTo(usd("100"));
        assertThat(forecast.getRequestId()).isEqualTo("r-2");
        assertThat(forecast.getContributorDimension()).isEqualTo("model");
        assertThat(forecast.getTopContributors()).extracting(SpendContributor::getName).containsExactly("gpt-4o");

        for (int h = 3; h < 24; h++) {
            govern.call("r-" + h, day.plus(Duration.ofHours(h)), "2");
        }
        assertThat(govern.alerts()).isEmpty();
    }

    @Test
    void shouldNotForecastWhatSpendHasAlreadyCrossed() {
        start().budget(budget("team", "search", "monthly", "10", 80, 100, "block"));
        govern.call("r-1", at(1), "11");
        assertThat(govern.alerts()).extracting(BudgetAlert::getKind).containsExactly("soft", "hard");
    }

    @Test
    void shouldNameTheTopThreeContributorsInAnAlert() {
        start().budget(budget("team", "search", "monthly", "10", 80, 100, "block"));
        govern.call("r-1", at(1), "1", p -> p.getAttribution().setFeature("chat"));
        govern.call("r-2", at(2), "0.5", p -> p.getAttribution().setFeature("eval"));
        govern.call("r-3", at(3), "3", p -> p.getAttribution().setFeature("search-v2"));
        govern.call("r-4", at(4), "5.5", p -> p.getAttribution().setFeature("doc-qa"));

        BudgetAlert hard = govern.alerts().stream().filter(a -> a.getKind().equals("hard")).findFirst().orElseThrow();
        assertThat(hard.getContributorDimension()).isEqualTo("feature");
        assertThat(hard.getTopContributors()).extracting(SpendContributor::getName).containsExactly("doc-qa", "search-v2", "chat");
        assertThat(hard.getTopContributors().get(0).getSpend()).isEqualTo(usd("5.5"));
        assertThat(hard.getSummary()).contains("team:search monthly budget 10.00 USD", "hard threshold (100%) reached",
                "top features: doc-qa 5.50, search-v2 3.00, chat 1.00");
    }

    @Test
    void shouldCountBatchCallsAndRetries() {
        start().budget(budget("team", "search", "monthly", "3", 50, 100, "block"));
        govern.call("r-1", at(1), "1", p -> p.getEvent().setBatch(true));
        govern.call("r-1-retry", at(2), "1", p -> {
            p.getEvent().setRetryOf("r-1");
            p.getEvent().setAttempt(2);
            p.getEvent().setStatus("error");
        });
        govern.call("r-2", at(3), "1");

        assertThat(govern.alerts("soft", "hard")).extracting(BudgetAlert::getKind).containsExactly("soft", "hard");
    }

    @Test
    void shouldGovernTheOneGlobalScopeUnderTheBudgetsOwnId() {
        start().budget(budget("global", "all", "monthly", "5", 80, 100, "alert"));
        govern.call("r-1", at(1), "2", p -> p.getAttribution().setTeam("growth"));
        govern.call("r-2", at(2), "3", p -> p.getAttribution().setTeam("legal"));

        List<KeyValue<String, BudgetAlert>> alerts = govern.keyedAlerts();
        assertThat(alerts).extracting(kv -> kv.key).containsOnly("global:all:monthly");
        assertThat(alerts).extracting(kv -> kv.value.getKind()).containsExactly("forecast", "soft", "hard");
        assertThat(alerts.get(2).value.getScopeId()).isEqualTo("all");
        assertThat(govern.statuses()).extracting(kv -> kv.key).containsOnly("global:all:monthly:2026-11-01");
    }

    @Test
    void shouldDeleteTheStatusOfARemovedBudget() {
        start().budget(budget("environment", "production", "daily", "10", 80, 100, "block"));
        govern.call("r-1", at(1), "1");
        assertThat(govern.statuses()).hasSize(1);

        govern.deleteBudget("environment:production:daily");
        govern.advance(Duration.ofSeconds(1));

        List<KeyValue<String, BudgetStatus>> out = govern.statuses();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo("environment:production:daily:2026-11-10");
        assertThat(out.get(0).value).isNull();
    }

    @Test
    void shouldIgnoreABudgetThatCannotBeApplied() {
        start().budget(budget("team", "search", "monthly", "10", 80, 100, "block"));
        var bad = budget("team", "search", "monthly", "1", 80, 100, "panic");
        govern.budget(bad);
        govern.call("r-1", at(1), "5");

        assertThat(govern.alerts("soft", "hard")).isEmpty();
        assertThat(govern.count("tokenledger.govern.budgets.rejected", "reason", "unknown_action")).isEqualTo(1.0);
    }

    @Test
    void shouldRaiseOneCeilingAlertForARunawayAgentLoop() {
        start(T0, Map.of(GovernSettings.AGENT_RUN_CALLS, "5", GovernSettings.AGENT_RUN_USD, "100"));
        for (int i = 0; i < 20; i++) {
            govern.call("loop-" + i, at(i * 10), "0.01", p -> p.getEvent().setAgentRunId("run-42"));
        }
        List<KeyValue<String, BudgetAlert>> alerts = govern.keyedAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).key).isEqualTo("agent_run:run-42");
        BudgetAlert a = alerts.get(0).value;
        assertThat(a.getKind()).isEqualTo("agent_run_ceiling");
        assertThat(a.getCalls()).isEqualTo(6);
        assertThat(a.getCallLimit()).isEqualTo(5);
        assertThat(a.getRequestId()).isEqualTo("loop-5");
        assertThat(a.getSpend()).isEqualTo(usd("0.06"));
        assertThat(a.getFeature()).isEqualTo("semantic-search");

        // A new session after more than the inactivity gap gets its own ceiling.
        Instant later = at(200).plus(Duration.ofMinutes(31));
        for (int i = 0; i < 6; i++) {
            govern.call("again-" + i, later.plusSeconds(i), "0.01", p -> p.getEvent().setAgentRunId("run-42"));
        }
        BudgetAlert second = govern.alerts().get(0);
        assertThat(second.getRequestId()).isEqualTo("again-5");
        assertThat(second.getAlertId()).isNotEqualTo(a.getAlertId());
    }

    @Test
    void shouldApplyAFeaturesOwnAgentRunCostCeiling() {
        start(T0, Map.of(GovernSettings.AGENT_RUN_USD, "100",
                "tokenledger.ceiling.feature.semantic-search.agent-run-usd", "1.00"));
        govern.call("a", at(1), "0.5", p -> p.getEvent().setAgentRunId("run-1"));
        govern.call("b", at(2), "0.5", p -> p.getEvent().setAgentRunId("run-1"));
        assertThat(govern.alerts()).isEmpty();
        govern.call("c", at(3), "0.000000000001", p -> p.getEvent().setAgentRunId("run-1"));

        BudgetAlert a = govern.alerts().get(0);
        assertThat(a.getKind()).isEqualTo("agent_run_ceiling");
        assertThat(a.getThreshold()).isEqualTo(usd("1"));
        assertThat(a.getSpend()).isEqualTo(usd("1.000000000001"));
    }

    @Test
    void shouldAlertOnASingleCallAboveTheRequestCeiling() {
        start(T0, Map.of(GovernSettings.REQUEST_USD, "2.00"));
        govern.call("fine", at(1), "2.00");
        govern.call("pricey", at(2), "2.01");

        List<KeyValue<String, BudgetAlert>> alerts = govern.keyedAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).key).isEqualTo("feature:semantic-search");
        assertThat(alerts.get(0).value.getKind()).isEqualTo("request_ceiling");
        assertThat(alerts.get(0).value.getRequestId()).isEqualTo("pricey");
        assertThat(alerts.get(0).value.getAlertId()).isEqualTo("request_ceiling:pricey");
    }

    @Test
    void shouldTellReplayedTrafficsStatusUnderItsOwnPeriodNeverAsTheCurrentOne() {
        // The wall clock is in December; the calls are from October.
        start(Instant.parse("2026-12-05T09:00:00Z"), Map.of()).budget(budget("team", "search", "monthly", "10", 80, 100, "block"));
        govern.call("old-1", Instant.parse("2026-10-20T10:00:00Z"), "11");

        List<BudgetAlert> alerts = govern.alerts("soft", "hard");
        assertThat(alerts).extracting(BudgetAlert::getKind).containsExactly("soft", "hard");
        assertThat(alerts).allSatisfy(a -> assertThat(a.getPeriodStart()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z")));
        assertThat(govern.statuses()).extracting(kv -> kv.key + "|" + kv.value.getState())
                .containsExactly("team:search:monthly:2026-10-01|hard");

        // December, the period in force, is told apart (at ok: nothing spent in it), and October's status stays.
        govern.advance(Duration.ofSeconds(1));
        assertThat(govern.statuses()).extracting(kv -> kv.key + "|" + (kv.value == null ? "tombstone" : kv.value.getState()))
                .containsExactly("team:search:monthly:2026-12-01|ok");
    }

    @Test
    void shouldKeepWhatTheGatewayWasToldAboutLastMonthWhenItsTrafficIsProcessedTheNextMonth() {
        // The demo run on 2026-12-01: its traffic is dated the day before, in November.
        Instant dec1 = Instant.parse("2026-12-01T09:00:00Z");
        start(dec1, Map.of()).budget(budget("team", "search", "monthly", "10", 50, 100, "block"));
        govern.budget(budget("team", "search", "daily", "100", 80, 100, "queue"));
        Instant nov30 = Instant.parse("2026-11-30T10:00:00Z");
        govern.call("n-1", nov30, "6");
        govern.call("n-2", nov30.plusSeconds(60), "1");

        // Told at once (soft), under November's key and November 30's, not December's.
        assertThat(govern.statuses()).extracting(kv -> kv.key + "|" + kv.value.getState() + "|" + kv.value.getSpend().toPlainString())
                .containsExactly("team:search:monthly:2026-11-01|soft|6.000000000000",
                        "team:search:daily:2026-11-30|ok|6.000000000000");

        // The spend-only move is refreshed for November too, then December and December 1 start at ok
        // under their own keys: nothing tombstones or replaces what November was told.
        govern.advance(Duration.ofSeconds(5));
        List<KeyValue<String, BudgetStatus>> after = govern.statuses();
        assertThat(after).allSatisfy(kv -> assertThat(kv.value).isNotNull());
        assertThat(after).filteredOn(kv -> kv.key.equals("team:search:monthly:2026-11-01")).last()
                .satisfies(kv -> {
                    assertThat(kv.value.getState()).isEqualTo("soft");
                    assertThat(kv.value.getSpend()).isEqualTo(usd("7"));
                    assertThat(kv.value.getPeriodStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
                });
        assertThat(after).filteredOn(kv -> kv.key.equals("team:search:daily:2026-11-30")).last()
                .satisfies(kv -> assertThat(kv.value.getSpend()).isEqualTo(usd("7")));
        assertThat(after).filteredOn(kv -> kv.key.endsWith(":2026-12-01"))
                .extracting(kv -> kv.key + "|" + kv.value.getState() + "|" + kv.value.getSpend().toPlainString())
                .containsExactlyInAnyOrder("team:search:monthly:2026-12-01|ok|0.000000000000",
                        "team:search:daily:2026-12-01|ok|0.000000000000");
    }

    @Test
    void shouldCountCallsForAPeriodTheScopeHasLeftOnlyInTheMetric() {
        start(Instant.parse("2026-12-01T00:00:00Z"), Map.of()).budget(budget("team", "search", "monthly", "10", 80, 100, "block"));
        govern.call("december", Instant.parse("2026-12-01T00:10:00Z"), "1");
        govern.call("late-november", Instant.parse("2026-11-30T23:50:00Z"), "20");

        assertThat(govern.alerts("soft", "hard")).isEmpty();
        // Each of the call's scopes (team, feature, customer, environment, global) in both periods.
        assertThat(govern.count("tokenledger.govern.late.closed.period")).isEqualTo(10.0);
    }

    @Test
    void shouldStartTheNextDayOfADailyBudgetAtOk() {
        Instant evening = Instant.parse("2026-11-10T23:30:00Z");
        start(evening, Map.of()).budget(budget("workload", "batch-enrichment", "daily", "5", 80, 100, "queue"));
        govern.call("r-1", evening, "6", p -> p.getEvent().setWorkload("batch-enrichment"));
        assertThat(govern.statuses()).last().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("workload:batch-enrichment:daily:2026-11-10");
            assertThat(kv.value.getAction()).isEqualTo("queue");
        });

        govern.advance(Duration.ofMinutes(31));

        BudgetStatus nextDay = govern.statuses().get(0).value;
        assertThat(nextDay.getState()).isEqualTo("ok");
        assertThat(nextDay.getPeriodStart()).isEqualTo(Instant.parse("2026-11-11T00:00:00Z"));
        govern.advance(Duration.ofMinutes(1));
        assertThat(govern.statuses()).isEmpty();
    }
}
