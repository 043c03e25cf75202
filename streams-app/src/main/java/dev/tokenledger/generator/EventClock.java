package dev.tokenledger.generator;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Event time of generated records: a steady rate on the event-time axis (shaped by the options'
 * {@link VolumeProfile}: the gap to the next record is the steady gap over the profile's intensity), a few milliseconds of
 * jitter that never goes backwards, and now and then a record that arrives late, stamped a little
 * before the latest time already seen (as when one gateway instance flushes behind another).
 */
final class EventClock {

    private static final int JITTER_MILLIS = 50;

    private final long startMillis;
    private final long nanosPerEvent;
    private final double outOfOrderRate;
    private final long maxLatenessMillis;
    private final VolumeProfile volume;
    private long elapsedNanos;
    private long latestMillis = Long.MIN_VALUE;

    EventClock(GeneratorOptions options) {
        this.startMillis = options.start().toEpochMilli();
        this.nanosPerEvent = Math.max(1L, Math.round(1e9 / options.eventsPerSecondOfEventTime()));
        this.outOfOrderRate = options.outOfOrderRate();
        this.maxLatenessMillis = Math.max(1L, options.maxLateness().toMillis());
        this.volume = options.volume().isFlat() ? null : options.volume();
    }

    Instant next(SplittableRandom random) {
        long scheduled = startMillis + elapsedNanos / 1_000_000L;
        elapsedNanos += volume == null ? nanosPerEvent : Math.max(1L, Math.round(nanosPerEvent / volume.intensity(scheduled)));
        if (latestMillis != Long.MIN_VALUE && random.nextDouble() < outOfOrderRate) {
            long late = latestMillis - 1 - random.nextLong(maxLatenessMillis);
            return Instant.ofEpochMilli(Math.max(startMillis, late));
        }
        latestMillis = Math.max(latestMillis, scheduled + random.nextInt(JITTER_MILLIS));
        return Instant.ofEpochMilli(latestMillis);
    }
}
