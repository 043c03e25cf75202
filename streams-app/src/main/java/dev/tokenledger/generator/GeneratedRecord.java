package dev.tokenledger.generator;

import dev.tokenledger.avro.UsageEvent;

/** What a gateway puts on an input topic: a usage event, or now and then a payload no one can use. */
public sealed interface GeneratedRecord {

    record Event(UsageEvent event) implements GeneratedRecord {
    }

    /** A bad raw payload for the JSON input topic; {@code kind} says what is wrong with it. */
    record Malformed(MalformedKind kind, byte[] payload) implements GeneratedRecord {
    }
}
