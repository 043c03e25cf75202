package dev.tokenledger.price;

import dev.tokenledger.avro.UsageEvent;
import java.time.Instant;
import java.util.HashMap;

/** Usage events for pricing tests: a successful standard call at a fixed time, tokens set by the test. */
final class UsageEvents {

    static final Instant AT = Instant.parse("2025-11-15T12:00:00Z");

    private UsageEvents() {
    }

    static UsageEvent.Builder call(String provider, String model) {
        return UsageEvent.newBuilder()
                .setRequestId("req-1")
                .setTimestamp(AT)
                .setProvider(provider)
                .setRequestModel(model)
                .setAttributes(new HashMap<>());
    }
}
