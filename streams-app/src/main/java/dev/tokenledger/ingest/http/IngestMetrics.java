package dev.tokenledger.ingest.http;

import dev.tokenledger.ingest.InputFormat;
import dev.tokenledger.ingest.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * HTTP ingest's meters, on the app's registry so {@code /metrics} exports them. Every label has a
 * bounded set of values: the input formats, the reject reasons, the routes and the status codes
 * ingest answers with.
 */
final class IngestMetrics {

    static final String RECORDS = "tokenledger.ingest.records";
    static final String REJECTS = "tokenledger.ingest.rejects";
    static final String REQUESTS = "tokenledger.ingest.requests";
    static final String ACK_LATENCY = "tokenledger.ingest.ack.latency";
    static final String IN_FLIGHT = "tokenledger.ingest.in.flight";

    private final MeterRegistry registry;
    private final Timer ackLatency;

    IngestMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        this.registry = registry;
        this.ackLatency = Timer.builder(ACK_LATENCY)
                .description("from the first send of a request to the broker's acknowledgement of its last record")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Gauge.builder(IN_FLIGHT, inFlight).description("records sent by HTTP ingest and not yet acknowledged").register(registry);
    }

    /** @param outcome {@code accepted}, {@code rejected} or {@code ignored} */
    void records(InputFormat format, String outcome, long n) {
        if (n > 0) {
            Counter.builder(RECORDS).tag("format", format.cliName()).tag("outcome", outcome).register(registry).increment(n);
        }
    }

    void rejected(InputFormat format, RejectReason reason) {
        Counter.builder(REJECTS).tag("format", format.cliName()).tag("reason", reason.code()).register(registry).increment();
    }

    /** @param route {@code otlp} or {@code ingest} */
    void request(String route, int status) {
        Counter.builder(REQUESTS).tag("route", route).tag("status", Integer.toString(status)).register(registry).increment();
    }

    void acknowledged(Duration took) {
        ackLatency.record(took);
    }
}
