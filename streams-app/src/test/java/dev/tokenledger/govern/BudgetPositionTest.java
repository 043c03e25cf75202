package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Budget;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetPositionTest {

    final Budget search = budget("team", "search", "monthly", "60.00", 80, 100, "downgrade:gpt-4o-mini");

    BudgetPosition at(String spend, Budget b) {
        return BudgetPosition.of(Period.MONTHLY, 0, usd(spend), null, b);
    }

    @Test
    void shouldBeOkJustBelowTheSoftThreshold() {
        BudgetPosition p = at("47.999999999999", search);
        assertThat(p.state()).isEqualTo(BudgetState.OK);
        assertThat(p.action()).isEqualTo("none");
        assertThat(p.percent()).isEqualTo(new BigDecimal("79.99"));
    }

    @Test
    void shouldReachTheSoftThresholdExactlyAtItsPercentage() {
        BudgetPosition p = at("48", search);
        assertThat(p.state()).isEqualTo(BudgetState.SOFT);
        assertThat(p.action()).isEqualTo("alert");
        assertThat(p.percent()).isEqualTo(new BigDecimal("80.00"));
        assertThat(p.softThreshold()).isEqualTo(usd("48"));
    }

    @Test
    void shouldApplyTheBudgetsActionFromTheHardThreshold() {
        assertThat(at("59.999999999999", search).state()).isEqualTo(BudgetState.SOFT);
        BudgetPosition p = at("60", search);
        assertThat(p.state()).isEqualTo(BudgetState.HARD);
        assertThat(p.action()).isEqualTo("downgrade:gpt-4o-mini");
        assertThat(at("60.000000000001", search).state()).isEqualTo(BudgetState.HARD);
    }

    @Test
    void shouldCompareExactlyWhenAThresholdHasMorePlacesThanMoney() {
        // 0.000000000001 x 80% = 0.0000000000008: the first amount of money reaching it is 0.000000000001.
        Budget tiny = budget("team", "t", "monthly", "0.000000000001", 80, 100, "block");
        assertThat(at("0", tiny).state()).isEqualTo(BudgetState.OK);
        assertThat(at("0.000000000001", tiny).state()).isEqualTo(BudgetState.HARD);
    }

    @Test
    void shouldSupportAHardThresholdAboveTheBudget() {
        Budget grace = budget("customer", "acme", "monthly", "2500", 90, 120, "block");
        assertThat(at("2999.99", grace).state()).isEqualTo(BudgetState.SOFT);
        assertThat(at("3000", grace).state()).isEqualTo(BudgetState.HARD);
        assertThat(at("3000", grace).percent()).isEqualTo(new BigDecimal("120.00"));
    }

    @Test
    void shouldTreatAZeroBudgetAsAlreadySpent() {
        BudgetPosition p = at("0", budget("team", "t", "monthly", "0", 80, 100, "block"));
        assertThat(p.state()).isEqualTo(BudgetState.HARD);
        assertThat(p.percent()).isNull();
    }

    @Test
    void shouldSeeAForecastBreachOnlyBeforeSpendCrossesTheBudget() {
        assertThat(BudgetPosition.of(Period.MONTHLY, 0, usd("30"), usd("60"), search).forecastBreached()).isTrue();
        assertThat(BudgetPosition.of(Period.MONTHLY, 0, usd("30"), usd("59.99"), search).forecastBreached()).isFalse();
        assertThat(BudgetPosition.of(Period.MONTHLY, 0, usd("60"), usd("90"), search).forecastBreached()).isFalse();
        assertThat(BudgetPosition.of(Period.MONTHLY, 0, usd("30"), null, search).forecastBreached()).isFalse();
    }

    @Test
    void shouldKeyTheStatusByTheBudgetsOwnScopeAndThePeriodOfItsSpend() {
        var global = budget("global", "all", "monthly", "1", 80, 100, "alert");
        assertThat(BudgetPosition.budgetKey(global)).isEqualTo("global:all:monthly");
        long november = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
        assertThat(BudgetPosition.statusKey(BudgetPosition.of(Period.MONTHLY, november, usd("0"), null, global).toStatus(null, 0)))
                .isEqualTo("global:all:monthly:2026-11-01");
    }
}
