package dev.tokenledger.validate;

import java.util.List;

/** Turns raw bytes from an input topic into a usage event, or says why it cannot. */
@FunctionalInterface
public interface UsageDecoder {

    /** Either {@code event} is set or {@code violations} is non-empty. */
    record Decoded(dev.tokenledger.avro.UsageEvent event, List<Violation> violations) {
    }

    Decoded decode(String topic, byte[] value);
}
