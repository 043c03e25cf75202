package dev.tokenledger.ingest;

import dev.tokenledger.avro.UsageEvent;
import java.util.List;

/**
 * What an adapter made of one body: usage events, rejects, and how many records it ignored on purpose
 * (OpenTelemetry spans that are not GenAI client calls). Every record of the input is in exactly one of the three.
 */
public record AdapterResult(List<AdaptedEvent> events, List<Reject> rejects, long ignored) {

    public AdapterResult {
        events = List.copyOf(events);
        rejects = List.copyOf(rejects);
        if (ignored < 0) {
            throw new IllegalArgumentException("ignored must not be negative");
        }
    }

    public List<UsageEvent> usageEvents() {
        return events.stream().map(AdaptedEvent::event).toList();
    }

    public long records() {
        return events.size() + rejects.size() + ignored;
    }
}
