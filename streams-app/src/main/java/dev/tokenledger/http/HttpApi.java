package dev.tokenledger.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.tokenledger.metrics.PipelineMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The application's small HTTP surface: {@code /metrics} for Prometheus, {@code /health/live} and
 * {@code /health/ready} for probes, and whatever a stage adds (budget status). The JDK's built-in
 * server is enough for a handful of read-only endpoints and keeps a web framework out of the
 * dependency tree. Every route is guarded by {@link HttpAuth} (bearer tokens, when configured).
 */
public final class HttpApi implements AutoCloseable {

    /** Ingest requests wait for the broker's acknowledgement on their thread; probes and scrapes must not queue behind them. */
    private static final int THREADS = 8;

    private final HttpServer server;
    private final HttpAuth auth;

    private HttpApi(HttpServer server, HttpAuth auth) {
        this.server = server;
        this.auth = auth;
    }

    public static HttpApi start(String host, int port, PrometheusMeterRegistry prometheus, Supplier<String> state) throws IOException {
        return start(host, port, prometheus, state, HttpAuth.none());
    }

    /** As {@link #start(String, int, PrometheusMeterRegistry, Supplier)}, every route guarded by {@code auth}. */
    public static HttpApi start(String host, int port, PrometheusMeterRegistry prometheus, Supplier<String> state, HttpAuth auth)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "tokenledger-http");
            t.setDaemon(true);
            return t;
        }));
        HttpApi api = new HttpApi(server, auth);
        api.route("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape()));
        // /health is kept as it was (200 while rebalancing too); probes want the two below.
        api.route("/health", ex -> health(ex, state.get(), Set.of("RUNNING", "REBALANCING")::contains, prometheus));
        // Liveness: a restart helps only once the client has shut itself down after a failure.
        api.route("/health/live", ex -> health(ex, state.get(), s -> !Set.of("PENDING_ERROR", "ERROR").contains(s), prometheus));
        // Readiness: processing, not starting, restoring or rebalancing.
        api.route("/health/ready", ex -> health(ex, state.get(), "RUNNING"::equals, prometheus));
        server.start();
        return api;
    }

    /** The Streams state, and how many reference-data records were not applied (the version in force stayed). */
    private static void health(HttpExchange ex, String state, Predicate<String> ok, PrometheusMeterRegistry prometheus) throws IOException {
        respond(ex, ok.test(state) ? 200 : 503, "application/json", "{\"state\":\"" + state
                + "\",\"reference_records_rejected\":" + PipelineMetrics.referenceRejected(prometheus) + "}");
    }

    /** Serves {@code path} (and the paths under it) with {@code handler}, behind the access {@code path} requires. */
    public void route(String path, HttpHandler handler) {
        HttpAuth.Access access = HttpAuth.accessOf(path);
        server.createContext(path, ex -> {
            try (ex) {
                HttpAuth.Decision decision = auth.decide(access, ex.getRequestHeaders().getFirst("Authorization"));
                if (decision == HttpAuth.Decision.UNAUTHENTICATED) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tokenledger\"");
                    respond(ex, 401, "application/json", "{\"error\":\"a bearer token is required\"}");
                    return;
                }
                if (decision == HttpAuth.Decision.FORBIDDEN) {
                    respond(ex, 403, "application/json", "{\"error\":\"this token may read /budgets only\"}");
                    return;
                }
                if (!"GET".equals(ex.getRequestMethod())) {
                    respond(ex, 405, "application/json", "{\"error\":\"only GET is supported\"}");
                    return;
                }
                handler.handle(ex);
            } catch (RuntimeException e) {
                respond(ex, 500, "application/json", "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
            }
        });
    }

    /** How requests are authenticated; a stage that calls other instances uses its forwarding credential. */
    public HttpAuth auth() {
        return auth;
    }

    /** As {@link #route}, for {@code POST} (ingest): any other method is 405. */
    public void routePost(String path, HttpHandler handler) {
        server.createContext(path, ex -> {
            try (ex) {
                if (!"POST".equals(ex.getRequestMethod())) {
                    ex.getResponseHeaders().set("Allow", "POST");
                    respond(ex, 405, "application/json", "{\"error\":\"only POST is supported\"}");
                    return;
                }
                handler.handle(ex);
            } catch (RuntimeException e) {
                respond(ex, 500, "application/json", "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
            }
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
