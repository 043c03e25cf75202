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

    @Test
    void shouldAddEveryCallToItsMonthAndDay() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        ledger.add(state, Period.MONTHLY, call("a", Instant.parse("2026-11-02T10:00:00Z"), "1.25"));
        ledger.add(state, Period.DAILY, call("a", Instant.parse("2026-11-02T10:00:00Z"), "1.25"));
        ledger.add(state, Period.MONTHLY, call("b", Instant.parse("2026-11-03T10:00:00Z"), "0.000000000001"));
        ledger.add(state, Period.DAILY, call("b", Instant.parse("2026-11-03T10:00:00Z"), "0.000000000001"));

        assertThat(state.getMonthly().getSpend()).isEqualTo(usd("1.250000000001"));
        assertThat(state.getMonthly().getEvents()).isEqualTo(2);
        assertThat(state.getDaily().getSpend()).isEqualTo(usd("0.000000000001"));
        assertThat(state.getDaily().getPeriodStart()).isEqualTo(Instant.parse("2026-11-03T00:00:00Z"));
    }

    @Test
    void shouldStartANewMonthAtZeroKeepingTheRunRate() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        ledger.add(state, Period.MONTHLY, call("a", Instant.parse("2026-11-30T23:00:00Z"), "5"));
        PeriodSpend december = ledger.add(state, Period.MONTHLY, call("b", Instant.parse("2026-12-01T00:10:00Z"), "1"));

        assertThat(december.getPeriodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(december.getSpend()).isEqualTo(usd("1"));
        assertThat(december.getRaised()).isEmpty();
        assertThat(ledger.rate(Period.MONTHLY).trailing(december.getRateBuckets(), Instant.parse("2026-12-01T00:10:00Z").toEpochMilli()))
                .isEqualTo(usd("6"));
    }

    @Test
    void shouldNotCountALateCallInAPeriodAlreadyLeft() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        ledger.add(state, Period.MONTHLY, call("a", Instant.parse("2026-12-01T00:10:00Z"), "1"));

        assertThat(ledger.add(state, Period.MONTHLY, call("late", Instant.parse("2026-11-30T23:59:00Z"), "9"))).isNull();
        assertThat(state.getMonthly().getSpend()).isEqualTo(usd("1"));
    }

    @Test
    void shouldNameFeaturesForTeamsAndModelsForFeatures() {
        ScopeState team = SpendLedger.emptyState(new Scope("team", "search"));
        ScopeState feature = SpendLedger.emptyState(new Scope("feature", "doc-qa"));
        Instant t = Instant.parse("2026-11-02T10:00:00Z");
        ledger.add(team, Period.MONTHLY, call("a", t, "2", "doc-qa", "gpt-4o"));
        ledger.add(feature, Period.MONTHLY, call("a", t, "2", "doc-qa", "gpt-4o"));

        assertThat(team.getMonthly().getContributors()).extracting(SpendContributor::getName).containsExactly("doc-qa");
        assertThat(feature.getMonthly().getContributors()).extracting(SpendContributor::getName).containsExactly("gpt-4o");
        assertThat(SpendLedger.contributorTotal(team.getMonthly())).isEqualTo(usd("2"));
    }

    @Test
    void shouldReportANewPeriodAsNothingSpentYet() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        PeriodSpend november = ledger.add(state, Period.MONTHLY, call("a", Instant.parse("2026-11-30T10:00:00Z"), "70"));
        var b = budget("team", "search", "monthly", "60", 80, 100, "block");

        BudgetPosition now = ledger.current(Period.MONTHLY, november, b, Instant.parse("2026-12-01T00:00:01Z").toEpochMilli());
        assertThat(now.state()).isEqualTo(BudgetState.OK);
        assertThat(now.spend()).isEqualTo(usd("0"));
        assertThat(now.periodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
        assertThat(ledger.current(Period.MONTHLY, november, b, Instant.parse("2026-11-30T11:00:00Z").toEpochMilli()).state())
                .isEqualTo(BudgetState.HARD);
    }
}
