package dev.tokenledger.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationsTest {

    static final long ONSET = Instant.parse("2026-10-18T14:00:00Z").toEpochMilli();

    @Test
    void shouldNameTheLargestDriverFirstAndTheOthersInPoints() {
        Map<String, Usage> before = Map.of("anthropic/claude-3-5-haiku", DriversTest.usage(1000, 1000, 0, 200, DriversTest.HAIKU));
        Map<String, Usage> after = Map.of(
                "anthropic/claude-3-5-haiku", DriversTest.usage(880, 1100, 0, 200, DriversTest.HAIKU),
                "anthropic/claude-sonnet-4-5", DriversTest.usage(120, 1100, 0, 200, DriversTest.SONNET));
        Drivers.Decomposition d = Drivers.decompose(before, 1, after, true);
        double perRequestBefore = 0.0016;
        double perRequestAfter = d.actual().doubleValue() / 1000;
        Finding f = new Finding(AnomalyKind.UNIT_COST_DRIFT, "feature", "support-reply", "support-reply", null,
                ONSET, ONSET + Baseline.HOUR_MS, perRequestAfter, perRequestBefore, "usd_per_request", "cost per request",
                12, d, d.impact(), List.of());
        String line = Explanations.line(f, ONSET, d, d.impact());
        assertThat(line).isEqualTo("support-reply cost per request +40% since 2026-10-18 14:00 ($0.0016 → $0.00223): model mix"
                + " claude-3-5-haiku → claude-sonnet-4-5 explains +35 points, longer inputs +4; +$0.634 so far");
        // The points add up to the change in cost per request.
        double points = d.points(d.modelMix()) + d.points(d.tokenShape()) + d.points(d.rate());
        assertThat(points).isCloseTo((perRequestAfter / perRequestBefore - 1) * 100, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void shouldRoundAmountsForReadingOnly() {
        assertThat(Explanations.usd(new BigDecimal("1234.5650000"))).isEqualTo("$1234.56");
        assertThat(Explanations.usd(new BigDecimal("0.000123456"))).isEqualTo("$0.000123");
        assertThat(Explanations.signedUsd(new BigDecimal("-2.5"))).isEqualTo("-$2.50");
        assertThat(Explanations.signedUsd(BigDecimal.ZERO)).isEqualTo("+$0");
        assertThat(Explanations.pct(1.41, 1.0)).isEqualTo("+41%");
    }
}
