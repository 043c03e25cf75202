package dev.tokenledger.ingest;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.validate.UsageValidator;
import dev.tokenledger.validate.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Collects one body's outcome. Every event an adapter makes is checked here for shape (counts not
 * negative, subsets within totals, known tier and status) with the validate stage's own validator, so
 * a conversion that went wrong is a reject with its locator instead of a dead letter far from its
 * source. Event-time limits stay the validate stage's call: they depend on when the event is processed.
 */
final class AdapterRun {

    /** Shape only: any event time is acceptable here. */
    private static final UsageValidator SHAPE = new UsageValidator(Duration.ofDays(365L * 1000), null);

    private final List<AdaptedEvent> events = new ArrayList<>();
    private final List<Reject> rejects = new ArrayList<>();
    private long ignored;

    /** Maps one record; null from the mapper means "not ours, ignored on purpose", a {@link RecordRejected} a reject. */
    void map(JsonInput.Item item, Function<JsonInput.Item, UsageEvent> mapper) {
        map(item.locator(), item.raw(), () -> mapper.apply(item));
    }

    void map(String locator, byte[] raw, java.util.function.Supplier<UsageEvent> mapper) {
        UsageEvent event;
        try {
            event = mapper.get();
        } catch (RecordRejected e) {
            rejects.add(new Reject(e.reason, locator, e.field, e.getMessage(), raw));
            return;
        } catch (RuntimeException e) { // a shape no check above foresaw: still this record's problem, never the body's
            rejects.add(new Reject(RejectReason.INVALID_VALUE, locator, null,
                    "cannot map this record: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), raw));
            return;
        }
        if (event == null) {
            ignored++;
            return;
        }
        event(event, locator, raw);
    }

    void event(UsageEvent event, String locator, byte[] raw) {
        List<Violation> violations = SHAPE.validate(event, Instant.now());
        if (violations.isEmpty()) {
            events.add(new AdaptedEvent(event, locator, raw));
        } else {
            reject(violations, locator, raw);
        }
    }

    void reject(List<Violation> violations, String locator, byte[] raw) {
        RecordRejected r = RecordRejected.of(violations);
        rejects.add(new Reject(r.reason, locator, r.field, r.getMessage(), raw));
    }

    void reject(Reject r) {
        rejects.add(r);
    }

    void ignore() {
        ignored++;
    }

    AdapterResult result() {
        return new AdapterResult(events, rejects, ignored);
    }
}
