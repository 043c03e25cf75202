package dev.tokenledger.deploy;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a deployment keeps each contract topic's records (the {@code retention.ms} of its
 * {@code KafkaTopic}); compacted topics keep the latest record per key for ever and get none. The
 * pipeline reads its inputs once and the warehouse keeps every output for good, so a week is what a
 * topic needs to ride out a long outage of a consumer or the sink; the dead-letter topics keep a month,
 * the time to find why records failed and replay them (docs/deployment.md).
 */
public final class TopicRetention {

    /** Inputs and outputs: a week, Kafka's own default, written down so a broker default cannot change it. */
    public static final Duration STREAM = Duration.ofDays(7);
    /** Dead letters, the pipeline's and the sink's. */
    public static final Duration DEAD_LETTERS = Duration.ofDays(30);

    private TopicRetention() {
    }

    /** The retention of a topic with this cleanup policy; empty for a compacted one. */
    public static Optional<Duration> of(String cleanupPolicy, boolean deadLetters) {
        if (cleanupPolicy.contains("compact")) {
            return Optional.empty();
        }
        return Optional.of(deadLetters ? DEAD_LETTERS : STREAM);
    }
}
