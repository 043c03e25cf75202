package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static dev.tokenledger.govern.GovernFixtures.call;
import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.avro.SpendContributor;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpendLedgerTest {

    final SpendLedger ledger = new SpendLedger(GovernSettings.defaultSettings());

    static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldAddEveryCallToItsMonthAndDay() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        ledger.add(state, call("a", Instant.parse("2026-11-02T10:00:00Z"), "1.25"), true);
        ledger.add(state, call("b", Instant.parse("2026-11-03T10:00:00Z"), "0.000000000001"), true);

        assertThat(state.getMonthly().getSpend()).isEqualTo(usd("1.250000000001"));
        assertThat(state.getMonthly().getEvents()).isEqualTo(2);
        assertThat(state.getDaily().getSpend()).isEqualTo(usd("0.000000000001"));
        assertThat(state.getDaily().getPeriodStart()).isEqualTo(Instant.parse("2026-11-03T00:00:00Z"));
    }

    @Test
    void shouldStartANewMonthAtZeroKeepingTheRunRate() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        ledger.add(state, call("a", Instant.parse("2026-11-30T23:00:00Z"), "5"), true);
        PeriodSpend december = ledger.add(state, call("b", Instant.parse("2026-12-01T00:10:00Z"), "1"), true)[Period.MONTHLY.ordinal()];

        assertThat(december.getPeriodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(december.getSpend()).isEqualTo(usd("1"));
        assertThat(december.getRaised()).isEmpty();
        assertThat(ledger.rate().trailing(state.getRateBuckets(), ms("2026-12-01T00:10:00Z"))).isEqualTo(usd("6"));
    }

    @Test
    void shouldNotCountALateCallInAPeriodAlreadyLeft() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        ledger.add(state, call("a", Instant.parse("2026-12-01T00:10:00Z"), "1"), true);

        PeriodSpend[] late = ledger.add(state, call("late", Instant.parse("2026-11-30T23:59:00Z"), "9"), true);
        assertThat(late[Period.MONTHLY.ordinal()]).isNull();
        assertThat(late[Period.DAILY.ordinal()]).isNull();
        assertThat(state.getMonthly().getSpend()).isEqualTo(usd("1"));
    }

    @Test
    void shouldNameFeaturesForTeamsAndModelsForFeatures() {
        ScopeState team = SpendLedger.emptyState(new Scope("team", "search"));
        ScopeState feature = SpendLedger.emptyState(new Scope("feature", "doc-qa"));
        Instant t = Instant.parse("2026-11-02T10:00:00Z");
        ledger.add(team, call("a", t, "2", "doc-qa", "gpt-4o"), true);
        ledger.add(feature, call("a", t, "2", "doc-qa", "gpt-4o"), true);

        assertThat(team.getMonthly().getContributors()).extracting(SpendContributor::getName).containsExactly("doc-qa");
        assertThat(feature.getMonthly().getContributors()).extracting(SpendContributor::getName).containsExactly("gpt-4o");
        assertThat(SpendLedger.contributorTotal(team.getMonthly())).isEqualTo(usd("2"));
    }

    @Test
    void shouldKeepOnlyTheSpendOfAScopeWithoutABudget() {
        ScopeState customer = SpendLedger.emptyState(new Scope("customer", "acme"));
        Instant t = Instant.parse("2026-11-02T10:00:00Z");
        ledger.add(customer, call("a", t, "2"), false);
        ledger.add(customer, call("b", t, "3"), true);

        assertThat(customer.getMonthly().getSpend()).isEqualTo(usd("5"));
        assertThat(customer.getMonthly().getUntracked()).isEqualTo(usd("2"));
        assertThat(customer.getMonthly().getContributors()).extracting(SpendContributor::getSpend).containsExactly(usd("3"));
        assertThat(SpendLedger.contributorTotal(customer.getMonthly())).isEqualTo(usd("5"));
        assertThat(ledger.rate().trailing(customer.getRateBuckets(), t.toEpochMilli())).isEqualTo(usd("3"));

        ledger.add(customer, call("c", t, "1"), false);
        assertThat(customer.getRateBuckets()).isEmpty();
    }

    @Test
    void shouldReportANewPeriodAsNothingSpentYet() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        ledger.add(state, call("a", Instant.parse("2026-11-30T10:00:00Z"), "70"), true);
        var b = budget("team", "search", "monthly", "60", 80, 100, "block");

        BudgetPosition now = ledger.current(state, Period.MONTHLY, b, ms("2026-12-01T00:00:01Z"));
        assertThat(now.state()).isEqualTo(BudgetState.OK);
        assertThat(now.spend()).isEqualTo(usd("0"));
        assertThat(now.periodStart()).isEqualTo(ms("2026-12-01T00:00:00Z"));
        assertThat(ledger.current(state, Period.MONTHLY, b, ms("2026-11-30T11:00:00Z")).state()).isEqualTo(BudgetState.HARD);
    }
}
