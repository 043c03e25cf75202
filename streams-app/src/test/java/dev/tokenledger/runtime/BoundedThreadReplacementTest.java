package dev.tokenledger.runtime;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class BoundedThreadReplacementTest {

    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;
    private final BoundedThreadReplacement policy = new BoundedThreadReplacement(3, Duration.ofMinutes(10), clock);
    private final RuntimeException failure = new IllegalStateException("boom");

    @Test
    void shouldReplaceUpToTheLimitThenShutTheClientDown() {
        assertThat(policy.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.fatal()).isEmpty();

        assertThat(policy.handle(failure)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.fatal()).containsSame(failure);
    }

    @Test
    void shouldForgetReplacementsOlderThanTheWindow() {
        policy.handle(failure);
        now = now.plus(Duration.ofMinutes(4));
        policy.handle(failure);
        policy.handle(failure);
        now = now.plus(Duration.ofMinutes(6)); // the first replacement is now exactly one window old

        assertThat(policy.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldReplaceForeverWhenFailuresAreFurtherApartThanTheWindow() {
        for (int i = 0; i < 20; i++) {
            assertThat(policy.handle(failure)).isEqualTo(REPLACE_THREAD);
            now = now.plus(Duration.ofMinutes(4));
        }
        assertThat(policy.fatal()).isEmpty();
    }

    @Test
    void shouldShutDownOnTheFirstFailureWhenNoReplacementIsAllowed() {
        BoundedThreadReplacement none = new BoundedThreadReplacement(0, Duration.ofMinutes(10), clock);

        assertThat(none.handle(failure)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldNameTheRootCauseOfAWrappedFailure() {
        StreamsException wrapped = new StreamsException("task 2_0 failed", new IllegalArgumentException("interval must be positive"));

        assertThat(BoundedThreadReplacement.describe(wrapped))
                .contains("task 2_0 failed")
                .endsWith("caused by java.lang.IllegalArgumentException: interval must be positive");
    }
}
