package dev.tokenledger.ingest;

import dev.tokenledger.avro.UsageEvent;
import java.util.Objects;

/** A usage event an adapter made, and where in the input it came from (for error lines and dead letters further on). */
public record AdaptedEvent(UsageEvent event, String locator, byte[] original) {

    public AdaptedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(locator, "locator");
    }
}
