package dev.tokenledger.validate;

import dev.tokenledger.avro.UsageEvent;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of decoding one usage event: the event, or the reasons it could not be built.
 * Exactly one of the two is present. A decoded event has the right shape; whether its values make
 * sense (subsets, timestamp skew, ...) is {@link UsageValidator}'s call.
 */
public record ParseResult(UsageEvent event, List<Violation> violations) {

    public ParseResult {
        violations = List.copyOf(violations);
        if ((event == null) == violations.isEmpty()) {
            throw new IllegalArgumentException("a parse result holds either an event or violations");
        }
    }

    public static ParseResult of(UsageEvent event) {
        return new ParseResult(Objects.requireNonNull(event, "event"), List.of());
    }

    public static ParseResult failed(List<Violation> violations) {
        return new ParseResult(null, violations);
    }

    public static ParseResult failed(Violation violation) {
        return new ParseResult(null, List.of(violation));
    }

    public boolean isValid() {
        return event != null;
    }
}
