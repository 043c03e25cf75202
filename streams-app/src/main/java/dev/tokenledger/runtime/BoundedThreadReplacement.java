package dev.tokenledger.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a failed stream thread at most {@code max} times within a sliding {@code window}, then
 * shuts the client down: a transient failure (a broker bounce, a fenced producer) gets a new thread,
 * while a deterministic one (a bug, a bad setting) stops the application loudly instead of
 * churning threads forever behind a green health check.
 */
public final class BoundedThreadReplacement implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedThreadReplacement.class);

    private final int max;
    private final Duration window;
    private final InstantSource clock;
    private final Deque<Instant> replacements = new ArrayDeque<>();
    private volatile Throwable fatal;

    public BoundedThreadReplacement(int max, Duration window, InstantSource clock) {
        if (max < 0 || window.isNegative()) {
            throw new IllegalArgumentException("max thread replacements and their window must not be negative");
        }
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = clock.instant();
        while (!replacements.isEmpty() && !replacements.peekFirst().isAfter(now.minus(window))) {
            replacements.removeFirst();
        }
        if (replacements.size() < max) {
            replacements.addLast(now);
            // One line each: Kafka Streams logs the stack trace itself.
            LOG.warn("stream thread failed; replacing it ({} of {} replacements allowed within {}): {}",
                    replacements.size(), max, window, describe(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        fatal = exception;
        LOG.error("stream thread failed with no replacement left ({} allowed within {}); shutting the Streams client down: {}",
                max, window, describe(exception));
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The failure that made this handler give up, if it has. */
    public Optional<Throwable> fatal() {
        return Optional.ofNullable(fatal);
    }

    /** The exception and its root cause in one line: Streams wraps what a processor threw. */
    public static String describe(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == exception ? exception.toString() : exception + ", caused by " + root;
    }
}
