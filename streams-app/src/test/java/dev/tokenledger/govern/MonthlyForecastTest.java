package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static dev.tokenledger.govern.GovernFixtures.call;
import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.ScopeState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The budget stage's month-end projection through the forecaster, from the daily history it keeps per scope. */
class MonthlyForecastTest {

    final SpendLedger ledger = new SpendLedger(GovernSettings.defaultSettings());
    final Budget monthly = budget("team", "search", "monthly", "55", 80, 100, "block");

    /** Ten calls of 0.2 USD (2 USD) on every day from {@code first} to {@code last}, hours 01:00 to 10:00. */
    void flatDays(ScopeState state, String first, String last) {
        for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
            for (int h = 1; h <= 10; h++) {
                Instant at = d.atTime(h, 0).toInstant(ZoneOffset.UTC);
                ledger.add(state, call(d + "-" + h, at, "0.2"), true);
            }
        }
    }

    @Test
    void projectsTheMonthEndThroughTheForecasterOnceItHasFourteenCompleteDays() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        flatDays(state, "2026-10-25", "2026-11-21"); // 28 days of 2 USD
        ledger.add(state, call("noon", Instant.parse("2026-11-22T12:00:00Z"), "1"), true);

        BudgetPosition p = ledger.position(state, Period.MONTHLY, monthly);

        // November so far: 21 x 2 + 1 = 43; the 22nd's forecast (2) x the half of the day to come = 1;
        // the 23rd to the 30th: 8 x 2 = 16.
        assertThat(p.spend()).isEqualTo(usd("43"));
        assertThat(p.projection()).isEqualTo(usd("60"));
        assertThat(p.forecastBreached()).isTrue(); // 60 >= the budget of 55, while 43 is not
        // The daily period still projects from the run rate.
        BudgetPosition day = ledger.position(state, Period.DAILY, budget("team", "search", "daily", "5", 80, 100, "block"));
        assertThat(day.projection()).isEqualTo(ledger.rate().projection(usd("1"), state.getRateBuckets(),
                Instant.parse("2026-11-22T12:00:00Z").toEpochMilli(), Instant.parse("2026-11-23T00:00:00Z").toEpochMilli()));
    }

    @Test
    void keepsTheRunRateUnderFourteenCompleteDays() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        flatDays(state, "2026-11-09", "2026-11-21"); // 13 complete days before the 22nd
        long noon = Instant.parse("2026-11-22T12:00:00Z").toEpochMilli();
        ledger.add(state, call("noon", Instant.ofEpochMilli(noon), "1"), true);

        BudgetPosition p = ledger.position(state, Period.MONTHLY, monthly);

        assertThat(p.projection()).isEqualTo(ledger.rate().projection(usd("27"), state.getRateBuckets(), noon,
                Instant.parse("2026-12-01T00:00:00Z").toEpochMilli()));
        assertThat(MonthlyForecast.projection(state, usd("27"), noon, Instant.parse("2026-12-01T00:00:00Z").toEpochMilli()))
                .isNull();
    }

    @Test
    void keepsTheLatestFortyTwoDaysAndOnlyWhileTheScopeHasABudget() {
        ScopeState state = SpendLedger.emptyState(new Scope("team", "search"));
        flatDays(state, "2026-10-01", "2026-11-19"); // 50 days
        assertThat(state.getDailyHistory()).hasSize(MonthlyForecast.HISTORY_DAYS);
        assertThat(state.getDailyHistory().get(0).getDay()).isEqualTo(Instant.parse("2026-10-09T00:00:00Z"));
        assertThat(state.getDailyHistory().get(41).getCalls()).isEqualTo(10);
        assertThat(state.getDailyHistory().get(41).getSpend()).isEqualTo(usd("2"));

        ledger.add(state, call("late", Instant.parse("2026-10-02T05:00:00Z"), "7"), true); // older than kept: ignored
        assertThat(state.getDailyHistory()).hasSize(MonthlyForecast.HISTORY_DAYS);
        assertThat(state.getDailyHistory().get(0).getSpend()).isEqualTo(usd("2"));

        ledger.add(state, call("unbudgeted", Instant.parse("2026-11-19T11:00:00Z"), "1"), false);
        assertThat(state.getDailyHistory()).isEmpty();
    }
}
