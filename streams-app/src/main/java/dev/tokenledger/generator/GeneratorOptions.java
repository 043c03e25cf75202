package dev.tokenledger.generator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How {@link TrafficGenerator} shapes its traffic. Rates are probabilities in [0, 1]; they are
 * traffic mix ratios, never money.
 *
 * @param seed                       same seed and options give the same records, in the same order
 * @param start                      event time of the first record
 * @param eventsPerSecondOfEventTime how densely records sit on the event-time axis; a day of traffic
 *                                   at 2/s is 172,800 records, however fast they are produced
 * @param duplicateRate              share of emitted events that re-publish an earlier event with the
 *                                   same request_id (gateways publish at least once)
 * @param malformedRate              share of {@link TrafficGenerator#nextRecord()} results that are bad raw
 *                                   JSON payloads instead of events
 * @param untaggedRate               share of new requests without team/feature, carrying only an api key
 * @param unknownModelRate           share of new requests on a model the price book does not know
 * @param retryRate                  share of new requests whose first attempt fails and is retried
 * @param errorRate                  share of new requests that fail for good (error, timeout, cancelled)
 * @param outOfOrderRate             share of events stamped slightly before the latest event time
 * @param maxLateness                how far before the latest event time an out-of-order event can be
 * @param gateway                    the producing gateway's name, put on every event
 * @param volume                     how the rate varies over event time (weekday pattern, trend); flat by default
 */
public record GeneratorOptions(
        long seed,
        Instant start,
        double eventsPerSecondOfEventTime,
        double duplicateRate,
        double malformedRate,
        double untaggedRate,
        double unknownModelRate,
        double retryRate,
        double errorRate,
        double outOfOrderRate,
        Duration maxLateness,
        String gateway,
        VolumeProfile volume) {

    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_EVENTS_PER_SECOND = 2.0;
    public static final String DEFAULT_GATEWAY = "litellm-gw-demo";

    public GeneratorOptions {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(maxLateness, "maxLateness");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(volume, "volume");
        if (!(eventsPerSecondOfEventTime > 0 && eventsPerSecondOfEventTime <= 1e9)) {
            throw new IllegalArgumentException("eventsPerSecondOfEventTime must be in (0, 1e9]: " + eventsPerSecondOfEventTime);
        }
        requireRate("duplicateRate", duplicateRate);
        requireRate("malformedRate", malformedRate);
        requireRate("untaggedRate", untaggedRate);
        requireRate("unknownModelRate", unknownModelRate);
        requireRate("retryRate", retryRate);
        requireRate("errorRate", errorRate);
        requireRate("outOfOrderRate", outOfOrderRate);
        if (retryRate + errorRate > 1.0) {
            throw new IllegalArgumentException("retryRate + errorRate must not exceed 1");
        }
        if (maxLateness.isNegative() || maxLateness.isZero()) {
            throw new IllegalArgumentException("maxLateness must be positive: " + maxLateness);
        }
    }

    /**
     * Demo defaults: seed 42, a day of traffic starting at yesterday's UTC midnight (so a compressed
     * day never runs into the future), 2 events per event-time second, 1% duplicates, 0.2% malformed,
     * 8% untagged, 0.5% unknown model, 3% retried and 1% failed requests, 1% slightly late events.
     */
    public static GeneratorOptions demoDefaults() {
        Instant yesterdayMidnight = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        return defaults(DEFAULT_SEED, yesterdayMidnight);
    }

    /** The demo mix with an explicit seed and start: fully deterministic. */
    public static GeneratorOptions defaults(long seed, Instant start) {
        return new GeneratorOptions(seed, start, DEFAULT_EVENTS_PER_SECOND,
                0.01, 0.002, 0.08, 0.005, 0.03, 0.01, 0.01, Duration.ofSeconds(5), DEFAULT_GATEWAY, VolumeProfile.FLAT);
    }

    public GeneratorOptions withSeed(long value) {
        return new GeneratorOptions(value, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withEventsPerSecondOfEventTime(double value) {
        return new GeneratorOptions(seed, start, value, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withDuplicateRate(double value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, value, malformedRate, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withMalformedRate(double value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, value, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withUntaggedRate(double value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, value,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withUnknownModelRate(double value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                value, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withRetryRate(double value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, value, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withErrorRate(double value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, retryRate, value, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withMaxLateness(Duration value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, value, gateway, volume);
    }

    public GeneratorOptions withGateway(String value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, value, volume);
    }

    public GeneratorOptions withStart(Instant value) {
        return new GeneratorOptions(seed, value, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, volume);
    }

    public GeneratorOptions withVolume(VolumeProfile value) {
        return new GeneratorOptions(seed, start, eventsPerSecondOfEventTime, duplicateRate, malformedRate, untaggedRate,
                unknownModelRate, retryRate, errorRate, outOfOrderRate, maxLateness, gateway, value);
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + rate);
        }
    }
}
