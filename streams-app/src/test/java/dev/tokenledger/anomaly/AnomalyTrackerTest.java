package dev.tokenledger.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnomalyTrackerTest {

    static final long HOUR = Baseline.HOUR_MS;
    static final long T0 = Instant.parse("2026-10-18T14:00:00Z").toEpochMilli();
    /** The lifecycle tests open on the first anomalous window; confirmation has its own test. */
    static final AnomalySettings ON_FIRST_WINDOW = AnomalySettings.defaults().with(AnomalyKind.UNIT_COST_DRIFT,
            AnomalySettings.defaults().rule(AnomalyKind.UNIT_COST_DRIFT).withConfirmWindows(1));
    final AnomalyTracker tracker = new AnomalyTracker(ON_FIRST_WINDOW);

    /** A unit-cost finding in hour {@code h} after T0 whose impact is {@code impact} USD of model mix. */
    static Finding finding(int h, String impact) {
        Map<String, Usage> before = Map.of("a/haiku", DriversTest.usage(100, 1000, 0, 200, DriversTest.HAIKU));
        Map<String, Usage> after = Map.of("a/haiku", DriversTest.usage(10, 1000, 0, 200, DriversTest.HAIKU),
                "a/sonnet", DriversTest.usage(90, 1000, 0, 200, DriversTest.SONNET));
        Drivers.Decomposition d = Drivers.decompose(before, 1, after, true);
        BigDecimal scaled = new BigDecimal(impact);
        Drivers.Decomposition exact = new Drivers.Decomposition(d.expected(), d.expected().add(scaled), scaled,
                Money.ZERO.toBigDecimal(), scaled, Money.ZERO.toBigDecimal(), Money.ZERO.toBigDecimal(),
                d.referenceRequests(), d.actualRequests(), d.mixFrom(), d.mixTo(), d.shapeClass(), d.shapeByClass(),
                d.costAtCurrentVolume());
        return new Finding(AnomalyKind.UNIT_COST_DRIFT, "feature", "support-reply", "support-reply", null,
                T0 + h * HOUR, T0 + (h + 1) * HOUR, 0.0064, 0.0019, "usd_per_request", "cost per request", 9.5,
                exact, scaled.setScale(Money.SCALE), List.of());
    }

    static final String KEY = AnomalyTracker.key(AnomalyKind.UNIT_COST_DRIFT, "feature", "support-reply", "support-reply", null);

    @Test
    void shouldOpenOnceThenUpdateNotReRaise() {
        Anomaly opened = tracker.anomalous(finding(0, "2.000000000000")).orElseThrow();
        assertThat(opened.state()).isEqualTo(Anomaly.OPEN);
        assertThat(opened.anomalyId()).isEqualTo("unit_cost_drift|feature|support-reply|support-reply|-|2026-10-18T14:00:00Z");
        assertThat(opened.detectedAt()).isEqualTo(Instant.parse("2026-10-18T15:00:00Z"));
        assertThat(opened.severity()).isEqualTo("low");
        assertThat(opened.explanation()).isEqualTo("support-reply cost per request +237% since 2026-10-18 14:00 ($0.0019 → $0.0064)"
                + ": model mix claude-3-5-haiku → claude-sonnet-4-5 explains +1250 points; +$2.00 so far".replace("claude-3-5-haiku", "haiku")
                .replace("claude-sonnet-4-5", "sonnet"));
        // Quiet until the update interval, except when severity rises.
        assertThat(tracker.anomalous(finding(1, "2"))).isEmpty();
        Anomaly medium = tracker.anomalous(finding(2, "7")).orElseThrow();
        assertThat(medium.state()).isEqualTo(Anomaly.UPDATED);
        assertThat(medium.anomalyId()).isEqualTo(opened.anomalyId());
        assertThat(medium.severity()).isEqualTo("medium");
        assertThat(medium.impactUsd()).isEqualByComparingTo("11");
        assertThat(medium.windowStart()).isEqualTo(opened.windowStart());
        assertThat(medium.windowEnd()).isEqualTo(Instant.parse("2026-10-18T17:00:00Z"));
        assertThat(medium.drivers()).extracting(Anomaly.Driver::name).containsExactly("volume", "model_mix", "token_shape", "rate");
        assertThat(medium.drivers().get(1).amountUsd()).isEqualByComparingTo("11");
        for (int h = 3; h < 8; h++) {
            assertThat(tracker.anomalous(finding(h, "0.1"))).isEmpty();
        }
        assertThat(tracker.anomalous(finding(8, "0.1"))).hasValueSatisfying(a -> assertThat(a.state()).isEqualTo(Anomaly.UPDATED));
    }

    @Test
    void shouldOpenOnlyOnceTheChangeLastsTheConfirmWindows() {
        AnomalyTracker confirming = new AnomalyTracker(AnomalySettings.defaults());
        assertThat(AnomalySettings.defaults().rule(AnomalyKind.UNIT_COST_DRIFT).confirmWindows()).isEqualTo(2);
        // A lone anomalous hour, then a normal one: no anomaly, nothing open, nothing to acknowledge.
        assertThat(confirming.anomalous(finding(0, "3"))).isEmpty();
        assertThat(confirming.openAnomalies()).isEmpty();
        assertThat(confirming.normal(KEY)).isEmpty();
        assertThat(confirming.isOpen(KEY)).isFalse();
        // An unsettled hour drops a candidate too.
        assertThat(confirming.anomalous(finding(5, "3"))).isEmpty();
        confirming.unsettled(KEY);
        assertThat(confirming.isOpen(KEY)).isFalse();
        // Two in a row open it, with the onset at the first and the impact of both.
        assertThat(confirming.anomalous(finding(10, "3"))).isEmpty();
        Anomaly opened = confirming.anomalous(finding(11, "4")).orElseThrow();
        assertThat(opened.state()).isEqualTo(Anomaly.OPEN);
        assertThat(opened.anomalyId()).endsWith("2026-10-19T00:00:00Z");
        assertThat(opened.windowStart()).isEqualTo(Instant.parse("2026-10-19T00:00:00Z"));
        assertThat(opened.detectedAt()).isEqualTo(Instant.parse("2026-10-19T02:00:00Z"));
        assertThat(opened.impactUsd()).isEqualByComparingTo("7");
        assertThat(opened.drivers().stream().map(Anomaly.Driver::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("7");
        assertThat(opened.severity()).isEqualTo("low");
        assertThat(confirming.openAnomalies()).singleElement().extracting(Anomaly::anomalyId).isEqualTo(opened.anomalyId());
    }

    @Test
    void shouldResolveAfterConsecutiveNormalWindowsOnly() {
        tracker.anomalous(finding(0, "1"));
        assertThat(tracker.normal(KEY)).isEmpty();
        assertThat(tracker.normal(KEY)).isEmpty();
        tracker.unsettled(KEY);
        assertThat(tracker.normal(KEY)).isEmpty();
        assertThat(tracker.normal(KEY)).isEmpty();
        Optional<Anomaly> resolved = tracker.normal(KEY);
        assertThat(resolved).hasValueSatisfying(a -> {
            assertThat(a.state()).isEqualTo(Anomaly.RESOLVED);
            assertThat(a.windowEnd()).isEqualTo(Instant.parse("2026-10-18T15:00:00Z"));
        });
        assertThat(tracker.isOpen(KEY)).isFalse();
        // The next incident of the series is a new anomaly.
        Anomaly again = tracker.anomalous(finding(30, "1")).orElseThrow();
        assertThat(again.state()).isEqualTo(Anomaly.OPEN);
        assertThat(again.anomalyId()).endsWith("2026-10-19T20:00:00Z");
    }

    @Test
    void shouldStopAlertingOnceAcknowledgedAsPlanned() {
        Anomaly opened = tracker.anomalous(finding(0, "1")).orElseThrow();
        assertThat(tracker.acknowledge("no-such-id")).isEmpty();
        assertThat(tracker.acknowledge(opened.anomalyId())).hasValueSatisfying(a -> assertThat(a.state()).isEqualTo(Anomaly.ACKNOWLEDGED));
        assertThat(tracker.acknowledge(opened.anomalyId())).isEmpty();
        assertThat(tracker.isAcknowledged(KEY)).isTrue();
        for (int h = 1; h < 50; h++) {
            assertThat(tracker.anomalous(finding(h, "500"))).isEmpty();
        }
        assertThat(tracker.openAnomalies()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(Anomaly.ACKNOWLEDGED);
            assertThat(a.severity()).isEqualTo("high");
        });
        tracker.normal(KEY);
        tracker.normal(KEY);
        assertThat(tracker.normal(KEY)).hasValueSatisfying(a -> assertThat(a.state()).isEqualTo(Anomaly.RESOLVED));
    }
}
