package dev.tokenledger.bench;

import com.google.protobuf.ByteString;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.http.HttpApi;
import dev.tokenledger.ingest.http.IngestHttp;
import dev.tokenledger.ingest.http.IngestHttpSettings;
import dev.tokenledger.ingest.http.IngestSink;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small load driver for HTTP ingest: the embedded broker with the pipeline running, the ingest routes
 * on the app's HTTP server, and {@code --clients} clients posting OTLP protobuf batches of
 * {@code --batch} GenAI spans to {@code /v1/traces} for {@code --seconds}, each waiting for its answer
 * (which comes once the broker acknowledged). Reports spans accepted per second and the answer latency
 * (post to 200, which includes the acknowledgement) p50/p99. BENCHMARKS.md has a run.
 *
 * <pre>java -cp streams-app/target/tokenledger.jar dev.tokenledger.bench.HttpIngestLoad --seconds 20 --clients 4 --batch 100</pre>
 */
public final class HttpIngestLoad {

    private HttpIngestLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("--seconds", "20", "--clients", "4", "--batch", "100"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        int seconds = Integer.parseInt(opts.get("--seconds"));
        int clients = Integer.parseInt(opts.get("--clients"));
        int batch = Integer.parseInt(opts.get("--batch"));
        Path dir = Files.createTempDirectory("tokenledger-http-bench");
        try (EmbeddedStack stack = EmbeddedStack.start(dir, Map.of(), PipelineMetrics.inMemory(), System.out::println)) {
            List<PriceEntry> shipped = PriceBooks.readDefault();
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook,
                    shipped.stream().map(e -> org.apache.kafka.streams.KeyValue.pair(PriceBook.keyOf(e), e)).toList());
            stack.startPipeline(System.out::println);
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (IngestSink sink = IngestSink.connect(stack.config().kafkaProperties(), stack.topics());
                 HttpApi api = HttpApi.start("127.0.0.1", 0, prometheus, () -> "RUNNING")) {
                IngestHttp.attach(api, IngestHttpSettings.from(stack.config()), sink, prometheus);
                run(URI.create("http://127.0.0.1:" + api.port() + IngestHttp.TRACES), seconds, clients, batch);
                prometheus.scrape().lines().filter(l -> l.startsWith("tokenledger_ingest_ack_latency_seconds{")
                        || l.startsWith("tokenledger_ingest_requests_total")).forEach(l -> System.out.println("server | " + l));
            }
        }
    }

    static void run(URI uri, int seconds, int clients, int batch) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        // A warm-up of a few seconds first: class loading and the first producer batches are not ingest.
        long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long end = warmUpEnd + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    byte[] body = batch(sequence, batch).toByteArray();
                    long started = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - started;
                        boolean measured = started >= warmUpEnd;
                        if (r.statusCode() == 200 && !ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess()) {
                            if (measured) {
                                accepted.addAndGet(batch);
                                latenciesMicros.add(took / 1000);
                            }
                        } else if (measured) {
                            refused.incrementAndGet();
                        }
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        System.out.printf("http ingest | %d clients, %d spans per request, %d s measured (after 3 s warm-up)%n", clients, batch, seconds);
        System.out.printf("http ingest | %,d spans accepted: %,.0f spans/s; %,d requests (%,.0f/s), %d refused or failed%n",
                accepted.get(), accepted.get() / (double) seconds, latenciesMicros.size(), latenciesMicros.size() / (double) seconds,
                refused.get());
        System.out.printf("http ingest | answer latency (post to 200, after the broker's acknowledgement): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                Percentiles.nearestRank(latenciesMicros, 0.50) / 1000.0, Percentiles.nearestRank(latenciesMicros, 0.99) / 1000.0,
                Percentiles.nearestRank(latenciesMicros, 1.0) / 1000.0);
    }

    /** {@code n} chat spans with fresh ids, priced by the shipped book (gpt-4o-mini), timed now. */
    static ExportTraceServiceRequest batch(AtomicLong sequence, int n) {
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < n; i++) {
            long id = sequence.incrementAndGet();
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x7e57L).putLong(id).array()))
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
                    .setName("chat gpt-4o-mini").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(nowNanos - 900_000_000L).setEndTimeUnixNano(nowNanos)
                    .addAttributes(text("gen_ai.operation.name", "chat"))
                    .addAttributes(text("gen_ai.provider.name", "openai"))
                    .addAttributes(text("gen_ai.request.model", "gpt-4o-mini"))
                    .addAttributes(integer("gen_ai.usage.input_tokens", 1_000 + id % 3_000))
                    .addAttributes(integer("gen_ai.usage.output_tokens", 100 + id % 500)));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(text("service.name", "bench")).addAttributes(text("service.namespace", "load")))
                .addScopeSpans(scope)).build();
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
