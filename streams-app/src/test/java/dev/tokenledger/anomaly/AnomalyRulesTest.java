package dev.tokenledger.anomaly;

import static dev.tokenledger.anomaly.SeasonalMonth.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each threshold of a rule, alone, keeps a window from being anomalous. */
class AnomalyRulesTest {

    static final AnomalySettings.Rule UNIT_COST = AnomalySettings.defaults().rule(AnomalyKind.UNIT_COST_DRIFT);
    static final AnomalySettings.Rule CACHE = AnomalySettings.defaults().rule(AnomalyKind.CACHE_HIT_DROP);
    static final AnomalySettings.Rule SHAPE = AnomalySettings.defaults().rule(AnomalyKind.TOKEN_SHAPE_CHANGE);
    static final BigDecimal ENOUGH = new BigDecimal("5");

    @Test
    void shouldFireWhenEveryThresholdIsMet() {
        assertThat(AnomalyEngine.fires(UNIT_COST, 0.0130, 0.0100, 6, ENOUGH)).isTrue();
    }

    @Test
    void shouldNotFireUnderTheScore() {
        assertThat(AnomalyEngine.fires(UNIT_COST, 0.0130, 0.0100, 3.9, ENOUGH)).isFalse();
    }

    @Test
    void shouldNotFireUnderTheRelativeChange() {
        // +15% is under the 20% a unit-cost drift needs, however unusual.
        assertThat(AnomalyEngine.fires(UNIT_COST, 0.0115, 0.0100, 40, ENOUGH)).isFalse();
    }

    @Test
    void shouldNotFireUnderTheAbsoluteChange() {
        // +50% of a tiny cost per request is $0.0001, under the $0.0002 floor.
        assertThat(AnomalyEngine.fires(UNIT_COST, 0.0003, 0.0002, 40, ENOUGH)).isFalse();
    }

    @Test
    void shouldNotFireUnderTheMinimumSpend() {
        assertThat(AnomalyEngine.fires(UNIT_COST, 0.0130, 0.0100, 6, new BigDecimal("0.49"))).isFalse();
    }

    @Test
    void shouldFireOnlyInTheRulesDirection() {
        assertThat(AnomalyEngine.fires(UNIT_COST, 0.0070, 0.0100, -6, ENOUGH)).as("cheaper is no incident").isFalse();
        assertThat(AnomalyEngine.fires(CACHE, 0.10, 0.60, -9, ENOUGH)).isTrue();
        assertThat(AnomalyEngine.fires(CACHE, 0.90, 0.60, 9, ENOUGH)).isFalse();
        assertThat(AnomalyEngine.fires(SHAPE, 800, 2000, -9, ENOUGH)).isTrue();
        assertThat(AnomalyEngine.fires(SHAPE, 4000, 2000, 9, ENOUGH)).isTrue();
    }

    @Test
    void shouldResolveOnlyBelowTheRelaxedRule() {
        // +15%: not anomalous, but not clearly normal either (the relaxed rule needs +10%).
        assertThat(AnomalyEngine.fires(UNIT_COST, 0.0115, 0.0100, 5, ENOUGH)).isFalse();
        assertThat(AnomalyEngine.fires(UNIT_COST.relaxed(), 0.0115, 0.0100, 5, ENOUGH)).isTrue();
        assertThat(AnomalyEngine.fires(UNIT_COST.relaxed(), 0.0105, 0.0100, 5, ENOUGH)).isFalse();
    }

    @Test
    void shouldNotAlertBeforeTheMinimumHistory() {
        // The swap happens on the second day: a day of history is enough for a ratio, not for spend.
        SeasonalMonth.Plant swapOnDayTwo = SeasonalMonth.during(at("2026-10-02T12:00:00Z"), at("2026-10-05T00:00:00Z"), "support-reply", null, l -> {
            l.model = "claude-sonnet-4-5";
            return List.of(l);
        });
        List<Anomaly> found = SeasonalMonth.run(AnomalySettings.defaults(), SeasonalMonth.generate(7, 4, swapOnDayTwo));
        assertThat(found).anyMatch(a -> a.kind() == AnomalyKind.UNIT_COST_DRIFT && a.scopeId().equals("support-reply"));
        assertThat(found).noneMatch(a -> a.kind() == AnomalyKind.SPEND_SPIKE);
    }

    @Test
    void shouldRaiseNothingForADisabledRule() {
        AnomalySettings settings = AnomalySettings.defaults()
                .with(AnomalyKind.RETRY_STORM, AnomalySettings.defaults().rule(AnomalyKind.RETRY_STORM).disabled());
        List<Anomaly> found = SeasonalMonth.run(settings, SeasonalMonth.generate(7, 30, AnomalyMonthTest.RETRY_STORM));
        assertThat(found).noneMatch(a -> a.kind() == AnomalyKind.RETRY_STORM);
    }
}
