package dev.tokenledger.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.http.HttpApi;
import dev.tokenledger.ingest.AttributionKeys;
import dev.tokenledger.ingest.InputFormat;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP JSON and protobuf posted to {@code /v1/traces} on a real in-process broker with the pipeline
 * running: each span is priced on {@code llm.usage.priced.v1} exactly as its hand-written native twin
 * prices with the shipped book, every token class to the last digit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpIngestIT {

    static final String TOKEN = "it-token";

    EmbeddedStack stack;
    IngestSink sink;
    HttpApi api;
    PriceBook book;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        // The fixtures' calls are of 2026-11-02; keep them inside the acceptance horizon whenever this runs.
        stack = EmbeddedStack.start(dir, Map.of(TokenLedgerConfig.MAX_EVENT_AGE, "P3650D", "commit.interval.ms", "200"),
                PipelineMetrics.inMemory(), msg -> { });
        List<PriceEntry> shipped = PriceBooks.readDefault();
        book = PriceBooks.loadDefault();
        ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook,
                shipped.stream().map(e -> KeyValue.pair(PriceBook.keyOf(e), e)).toList());
        stack.startPipeline(msg -> { });
        sink = IngestSink.connect(stack.config().kafkaProperties(), stack.topics());
        api = HttpApi.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> "RUNNING");
        IngestHttp.attach(api, IngestHttpSettings.from(stack.config().with(TokenLedgerConfig.HTTP_INGEST_BEARER_TOKENS, TOKEN)),
                sink, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldPriceOtlpJsonAndProtobufPostedOverHttpAsTheirNativeTwins() throws Exception {
        HttpResponse<byte[]> json = post(fixture("otlp-json/traces.json"), "application/json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

        // The protobuf fixture holds the same calls: new span ids make them other requests, not duplicates.
        ExportTraceServiceRequest proto = withFlippedSpanIds(ExportTraceServiceRequest.parseFrom(fixture("otlp-proto/traces.pb")));
        HttpResponse<byte[]> pb = post(proto.toByteArray(), "application/x-protobuf");
        assertThat(pb.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(pb.body()).hasPartialSuccess()).isFalse();

        Map<String, UsageEvent> twins = new HashMap<>();
        twins(fixture("otlp-json/traces.native.jsonl")).forEach(e -> twins.put(e.getRequestId(), e));
        twins(fixture("otlp-proto/traces.native.jsonl")).forEach(e -> twins.put(flipped(e.getRequestId()), e));
        assertThat(twins).hasSize(4);

        Map<String, PricedUsage> priced = readPriced(twins.size());
        assertThat(priced.keySet()).containsExactlyInAnyOrderElementsOf(twins.keySet());
        twins.forEach((id, twin) -> {
            assertThat(priced.get(id).getCost()).as(id).isEqualTo(CostEngine.price(twin, book).toAvroCost());
            assertThat(priced.get(id).getCost().getTotal().signum()).as(id).isPositive();
        });
    }

    HttpResponse<byte[]> post(byte[] body, String contentType) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + IngestHttp.TRACES))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    Map<String, PricedUsage> readPriced(int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "http-ingest-it");
        Map<String, PricedUsage> byId = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(stack.topics().priced.name()));
            long deadline = System.currentTimeMillis() + 60_000;
            while (byId.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    byId.put(r.key(), stack.topics().priced.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        }
        return byId;
    }

    static List<UsageEvent> twins(byte[] nativeJsonLines) {
        return InputFormat.NATIVE.adapter().parse(nativeJsonLines, AttributionKeys.defaults()).usageEvents();
    }

    /** The last byte of every span id inverted; the request id ({@code trace-span}) follows. */
    static ExportTraceServiceRequest withFlippedSpanIds(ExportTraceServiceRequest request) {
        ExportTraceServiceRequest.Builder b = request.toBuilder();
        for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
            for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                for (Span.Builder span : ss.getSpansBuilderList()) {
                    byte[] id = span.getSpanId().toByteArray();
                    id[id.length - 1] ^= (byte) 0xff;
                    span.setSpanId(ByteString.copyFrom(id));
                }
            }
        }
        return b.build();
    }

    static String flipped(String requestId) {
        byte[] span = HexFormat.of().parseHex(requestId.substring(requestId.indexOf('-') + 1));
        span[span.length - 1] ^= (byte) 0xff;
        return requestId.substring(0, requestId.indexOf('-') + 1) + HexFormat.of().formatHex(span);
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = HttpIngestIT.class.getResourceAsStream("/adapters/" + name)) {
            return in.readAllBytes();
        }
    }
}
