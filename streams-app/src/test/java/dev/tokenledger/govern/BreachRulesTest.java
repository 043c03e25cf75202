package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.budget;
import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Budget;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreachRulesTest {

    final Budget b = budget("team", "search", "monthly", "100", 80, 100, "block");

    BudgetPosition at(String spend, String projection, Budget budget) {
        return BudgetPosition.of(Period.MONTHLY, 0, usd(spend), projection == null ? null : usd(projection), budget);
    }

    @Test
    void shouldRaiseEachThresholdOnce() {
        List<String> raised = new ArrayList<>();
        assertThat(BreachRules.newlyBreached(at("79", null, b), raised)).isEmpty();
        assertThat(BreachRules.newlyBreached(at("80", null, b), raised)).containsExactly(AlertKind.SOFT);
        assertThat(BreachRules.newlyBreached(at("85", null, b), raised)).isEmpty();
        assertThat(BreachRules.newlyBreached(at("100", null, b), raised)).containsExactly(AlertKind.HARD);
        assertThat(BreachRules.newlyBreached(at("150", null, b), raised)).isEmpty();
    }

    @Test
    void shouldRaiseSoftThenHardWhenOneCallJumpsBoth() {
        assertThat(BreachRules.newlyBreached(at("120", null, b), new ArrayList<>())).containsExactly(AlertKind.SOFT, AlertKind.HARD);
    }

    @Test
    void shouldRaiseAForecastOnceEvenIfTheRateDipsAndRecovers() {
        List<String> raised = new ArrayList<>();
        assertThat(BreachRules.newlyBreached(at("50", "120", b), raised)).containsExactly(AlertKind.FORECAST);
        BreachRules.rearm(at("51", "90", b), raised, false);
        assertThat(BreachRules.newlyBreached(at("52", "130", b), raised)).isEmpty();
    }

    @Test
    void shouldRearmThresholdsABudgetRaiseTakesBack() {
        List<String> raised = new ArrayList<>();
        BreachRules.newlyBreached(at("90", "130", b), raised);
        assertThat(raised).containsExactly("soft", "forecast");

        Budget raisedBudget = budget("team", "search", "monthly", "200", 80, 100, "block");
        BreachRules.rearm(at("90", "130", raisedBudget), raised, true);
        assertThat(raised).isEmpty();
        assertThat(BreachRules.newlyBreached(at("160", null, raisedBudget), raised)).containsExactly(AlertKind.SOFT);
    }
}
