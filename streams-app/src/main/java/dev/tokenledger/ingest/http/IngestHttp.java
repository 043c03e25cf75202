package dev.tokenledger.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.http.HttpApi;
import dev.tokenledger.ingest.AdapterResult;
import dev.tokenledger.ingest.AttributionKeys;
import dev.tokenledger.ingest.InputFormat;
import dev.tokenledger.ingest.Reject;
import dev.tokenledger.ingest.RejectReason;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/traces} (OTLP/HTTP, JSON or protobuf) and {@code POST /ingest/{format}} (every
 * input format) on the app's HTTP server. A request is adapted whole, its events and rejects are sent
 * ({@link IngestSink}), and it is answered 2xx only once the broker acknowledged every one of them;
 * a send that fails or is not acknowledged in time is a 503 the client retries (the dedupe stage
 * absorbs what a retry writes twice). docs/ingest.md#http-ingest has the statuses and bodies.
 */
public final class IngestHttp {

    public static final String TRACES = "/v1/traces";
    public static final String INGEST = "/ingest";

    private static final Logger LOG = LoggerFactory.getLogger(IngestHttp.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A response lists at most this many rejects (all of them are on the DLQ); {@code rejected_count} has the total. */
    static final int LISTED_REJECTS = 1000;
    /** OTLP's {@code errorMessage} names at most this many rejected spans. */
    private static final int DESCRIBED_REJECTS = 3;

    private final IngestHttpSettings settings;
    private final IngestAuth auth;
    private final IngestSink sink;
    private final IngestMetrics metrics;
    private final AttributionKeys keys;

    IngestHttp(IngestHttpSettings settings, IngestSink sink, MeterRegistry registry) {
        this.settings = settings;
        this.auth = new IngestAuth(settings.bearerTokens());
        this.sink = sink;
        this.metrics = new IngestMetrics(registry, sink::inFlight);
        this.keys = AttributionKeys.defaults();
    }

    /** Serves both routes on {@code api}, writing through {@code sink} (which the caller closes after the server). */
    public static IngestHttp attach(HttpApi api, IngestHttpSettings settings, IngestSink sink, MeterRegistry registry) {
        IngestHttp ingest = new IngestHttp(settings, sink, registry);
        api.routePost(TRACES, ingest::traces);
        api.routePost(INGEST, ingest::ingest);
        if (!ingest.auth.required()) {
            LOG.warn("HTTP ingest ({} and {}/FORMAT) is open: no bearer token is configured ({})", TRACES, INGEST,
                    TokenLedgerConfig.HTTP_INGEST_BEARER_TOKENS);
        }
        LOG.info("HTTP ingest on {} and {}/FORMAT: {}", TRACES, INGEST, settings);
        return ingest;
    }

    /** What became of a request, before it is written in its route's form. */
    private record Outcome(int status, AdapterResult result, String error, String detail) {

        static Outcome failed(int status, String error, String detail) {
            return new Outcome(status, null, error, detail);
        }

        boolean retryable() {
            return status == 429 || status == 503;
        }
    }

    void traces(HttpExchange ex) throws IOException {
        String type = mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
        boolean protobuf = OtlpResponses.PROTOBUF.equals(type) || "application/protobuf".equals(type);
        Outcome o;
        if (!auth.allows(ex.getRequestHeaders().getFirst("Authorization"))) {
            o = Outcome.failed(401, "unauthorized", "a valid 'Authorization: Bearer TOKEN' is required");
        } else if (!protobuf && !OtlpResponses.JSON.equals(type)) {
            o = Outcome.failed(415, "unsupported_media_type", "Content-Type must be application/json or application/x-protobuf, not " + type);
        } else {
            o = process(ex, protobuf ? InputFormat.OTLP_PROTO : InputFormat.OTLP_JSON, "POST " + TRACES);
        }
        metrics.request("otlp", o.status());
        byte[] body;
        if (o.status() == 200) {
            List<Reject> rejects = o.result().rejects();
            String message = rejects.isEmpty() ? "" : rejects.size() + " span(s) rejected (on the dead-letter topic): "
                    + rejects.stream().limit(DESCRIBED_REJECTS).map(Reject::describe).collect(Collectors.joining("; "))
                    + (rejects.size() > DESCRIBED_REJECTS ? "; ..." : "");
            body = OtlpResponses.success(protobuf, rejects.size(), message);
        } else {
            body = OtlpResponses.status(protobuf, grpcCode(o.status()), o.detail());
        }
        respond(ex, o, protobuf ? OtlpResponses.PROTOBUF : OtlpResponses.JSON, body);
    }

    void ingest(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Outcome o;
        if (!auth.allows(ex.getRequestHeaders().getFirst("Authorization"))) {
            o = Outcome.failed(401, "unauthorized", "a valid 'Authorization: Bearer TOKEN' is required");
        } else {
            InputFormat format = formatOf(path);
            o = format == null
                    ? Outcome.failed(404, "unknown_format", "use POST /ingest/FORMAT, FORMAT one of " + InputFormat.names())
                    : process(ex, format, "POST " + INGEST + "/" + format.cliName());
        }
        metrics.request("ingest", o.status());
        ObjectNode body = MAPPER.createObjectNode();
        if (o.result() != null) {
            AdapterResult r = o.result();
            body.put("accepted", o.status() == 200 ? r.events().size() : 0);
            ArrayNode rejected = body.putArray("rejected");
            r.rejects().stream().limit(LISTED_REJECTS).forEach(j -> rejected.addObject()
                    .put("locator", j.locator()).put("reason", j.reason().code()).put("field", j.field()).put("detail", j.detail()));
            body.put("rejected_count", r.rejects().size());
            body.put("ignored", r.ignored());
        } else {
            body.put("error", o.error()).put("detail", o.detail());
        }
        respond(ex, o, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /ingest/litellm} → litellm; null for anything else. */
    static InputFormat formatOf(String path) {
        if (path == null || !path.startsWith(INGEST + "/")) {
            return null;
        }
        String name = path.substring(INGEST.length() + 1);
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.contains("/")) {
            return null;
        }
        try {
            return InputFormat.named(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Outcome process(HttpExchange ex, InputFormat format, String source) throws IOException {
        long waiting = sink.inFlight();
        if (waiting >= settings.maxInFlight()) {
            return Outcome.failed(429, "backed_up", waiting + " records are awaiting the broker's acknowledgement (limit "
                    + settings.maxInFlight() + "); retry after " + settings.retryAfterSeconds() + " s");
        }
        byte[] body;
        try {
            body = BoundedBody.read(ex.getRequestBody(), ex.getRequestHeaders().getFirst("Content-Length"),
                    ex.getRequestHeaders().getFirst("Content-Encoding"), settings.maxBodyBytes());
        } catch (BoundedBody.TooLarge e) {
            Reject tooLarge = new Reject(RejectReason.TOO_LARGE, "body", null, e.getMessage(), e.prefix.length == 0 ? null : e.prefix);
            AdapterResult r = new AdapterResult(List.of(), List.of(tooLarge), 0);
            Outcome written = publish(r, format, source);
            metrics.records(format, "rejected", 1);
            metrics.rejected(format, RejectReason.TOO_LARGE);
            return written.status() == 200 ? new Outcome(413, r, "too_large", e.getMessage()) : written;
        } catch (BoundedBody.BadEncoding e) {
            return Outcome.failed(415, "unsupported_encoding", e.getMessage());
        }
        AdapterResult result = format.adapter().parse(body, keys);
        Outcome written = publish(result, format, source);
        if (written.status() != 200) {
            return written;
        }
        metrics.records(format, "accepted", result.events().size());
        metrics.records(format, "rejected", result.rejects().size());
        metrics.records(format, "ignored", result.ignored());
        result.rejects().forEach(r -> metrics.rejected(format, r.reason()));
        boolean nothingParsed = result.events().isEmpty() && !result.rejects().isEmpty();
        return nothingParsed
                ? new Outcome(400, result, "undecodable", result.rejects().get(0).describe())
                : new Outcome(200, result, null, null);
    }

    /** Sends the events and rejects and waits for the broker; 503 when it did not acknowledge them all. */
    private Outcome publish(AdapterResult result, InputFormat format, String source) {
        if (result.events().isEmpty() && result.rejects().isEmpty()) {
            return new Outcome(200, result, null, null);
        }
        long started = System.nanoTime();
        try {
            sink.send(result.usageEvents(), result.rejects(), format, source).get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
            metrics.acknowledged(Duration.ofNanos(System.nanoTime() - started));
            return new Outcome(200, result, null, null);
        } catch (ExecutionException e) {
            LOG.warn("HTTP ingest: the broker did not take a request's records ({}); answered 503", e.getCause().toString());
            return Outcome.failed(503, "not_acknowledged", "the broker did not acknowledge the records: "
                    + e.getCause().getClass().getSimpleName() + "; retry");
        } catch (TimeoutException e) {
            LOG.warn("HTTP ingest: no acknowledgement within {}; answered 503", settings.ackTimeout());
            return Outcome.failed(503, "not_acknowledged", "no acknowledgement from the broker within " + settings.ackTimeout() + "; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(503, "not_acknowledged", "interrupted while waiting for the broker; retry");
        }
    }

    private void respond(HttpExchange ex, Outcome o, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        if (o.retryable()) {
            ex.getResponseHeaders().set("Retry-After", Long.toString(settings.retryAfterSeconds()));
        }
        if (o.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tokenledger-ingest\"");
        }
        ex.sendResponseHeaders(o.status(), body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    private static int grpcCode(int status) {
        return switch (status) {
            case 401 -> OtlpResponses.UNAUTHENTICATED;
            case 429 -> OtlpResponses.RESOURCE_EXHAUSTED;
            case 503 -> OtlpResponses.UNAVAILABLE;
            default -> OtlpResponses.INVALID_ARGUMENT;
        };
    }

    /** {@code application/json; charset=utf-8} → {@code application/json}. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
