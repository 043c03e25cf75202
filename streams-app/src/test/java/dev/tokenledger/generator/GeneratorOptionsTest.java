package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class GeneratorOptionsTest {

    private static final GeneratorOptions OPTIONS = GeneratorOptions.defaults(1, Instant.parse("2026-11-01T00:00:00Z"));

    @Test
    void shouldStartTheDemoDayAtYesterdaysUtcMidnightSoItNeverRunsIntoTheFuture() {
        Instant start = GeneratorOptions.demoDefaults().start();
        Instant todayMidnight = Instant.now().truncatedTo(ChronoUnit.DAYS);

        assertThat(start).isIn(todayMidnight.minus(1, ChronoUnit.DAYS), todayMidnight.minus(2, ChronoUnit.DAYS));
        assertThat(start.plus(1, ChronoUnit.DAYS)).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void shouldRejectRatesOutsideZeroToOne() {
        assertThatThrownBy(() -> OPTIONS.withDuplicateRate(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicateRate");
        assertThatThrownBy(() -> OPTIONS.withUntaggedRate(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("untaggedRate");
        assertThatThrownBy(() -> OPTIONS.withMalformedRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectMoreFailuresThanRequests() {
        assertThatThrownBy(() -> OPTIONS.withRetryRate(0.6).withErrorRate(0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectANonPositiveEventRateOrLateness() {
        assertThatThrownBy(() -> OPTIONS.withEventsPerSecondOfEventTime(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPTIONS.withMaxLateness(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldChangeOnlyTheFieldAWithMethodNames() {
        GeneratorOptions changed = OPTIONS.withSeed(99).withGateway("gw-eu");

        assertThat(changed.seed()).isEqualTo(99);
        assertThat(changed.gateway()).isEqualTo("gw-eu");
        assertThat(changed.withSeed(1).withGateway(OPTIONS.gateway())).isEqualTo(OPTIONS);
    }
}
