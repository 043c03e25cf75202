package dev.tokenledger.config;

import java.time.Duration;

/**
 * How long each store keeps event time, all derived from the acceptance horizon so that no store
 * can drop a write for an event validation accepted.
 *
 * <p>Validation accepts an event whose time lies in {@code [now - maxEventAge, now + maxFutureSkew]},
 * {@code now} being the wall clock. A window store expires by its observed stream time, the
 * newest event time written to it, which is therefore at most {@code now + maxFutureSkew}. A store
 * whose retention exceeds {@code maxEventAge + maxFutureSkew} by what its own lookups reach beyond
 * the event's time still holds every window an accepted event needs, in any arrival order, on any
 * task, after any restart.
 *
 * @param maxEventAge    how far behind the wall clock an event may be and still be accepted
 * @param maxFutureSkew  how far ahead of the wall clock an event may be
 * @param dedupeWindow   two occurrences of a request_id this close in event time are one call
 */
public record Retention(Duration maxEventAge, Duration maxFutureSkew, Duration dedupeWindow) {

    public Retention {
        requirePositive(TokenLedgerConfig.MAX_EVENT_AGE, maxEventAge);
        requirePositive(TokenLedgerConfig.MAX_FUTURE_SKEW, maxFutureSkew);
        requirePositive(TokenLedgerConfig.DEDUPE_RETENTION, dedupeWindow);
    }

    public static Retention of(TokenLedgerConfig config) {
        return new Retention(config.duration(TokenLedgerConfig.MAX_EVENT_AGE),
                config.duration(TokenLedgerConfig.MAX_FUTURE_SKEW),
                config.duration(TokenLedgerConfig.DEDUPE_RETENTION));
    }

    /** The oldest event time accepted, plus the skew allowed ahead of the clock. */
    public Duration acceptedSpan() {
        return maxEventAge.plus(maxFutureSkew);
    }

    /**
     * The dedupe store files an id under its dedupe-window-wide bucket and looks up the buckets on
     * either side: it reaches two windows below an accepted event's time; one more is the margin.
     */
    public Duration dedupeStore() {
        return acceptedSpan().plus(dedupeWindow.multipliedBy(3));
    }

    /** The rollup stores file an event under its hour or day: they reach one day below its time; one more is the margin. */
    public Duration rollupStores() {
        return acceptedSpan().plus(Duration.ofDays(2));
    }

    private static void requirePositive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
        }
    }
}
