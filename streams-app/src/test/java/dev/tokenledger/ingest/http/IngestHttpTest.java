package dev.tokenledger.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.http.HttpApi;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest routes on the real JDK server, writing to Kafka's {@link MockProducer}: what is answered,
 * what is sent (usage events and dead letters), and when a request waits, is refused or fails. The
 * broker itself is in {@link HttpIngestIT}.
 */
class IngestHttpTest {

    static final TokenLedgerConfig CONFIG = TokenLedgerConfig.of(Map.of(TokenLedgerConfig.SCHEMA_REGISTRY_URL, "mem://ingest-http-test"));
    static final Topics TOPICS = new Topics(CONFIG, SchemaRegistries.fromUrl("mem://ingest-http-test"));
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient client = HttpClient.newHttpClient();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MockProducer<byte[], byte[]> producer;
    HttpApi api;
    IngestSink sink;

    /** A server whose producer acknowledges every send at once ({@code autoComplete}) or only when told. */
    void start(boolean autoComplete, Map<String, String> settings) throws IOException {
        producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
        sink = new IngestSink(producer, TOPICS);
        api = HttpApi.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> "RUNNING");
        TokenLedgerConfig config = CONFIG;
        for (var e : settings.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        IngestHttp.attach(api, IngestHttpSettings.from(config), sink, meters);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    HttpRequest.Builder post(String path, byte[] body, String contentType) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = IngestHttpTest.class.getResourceAsStream("/adapters/" + name)) {
            return in.readAllBytes();
        }
    }

    List<ProducerRecord<byte[], byte[]>> sentTo(String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    List<DeadLetter> deadLetters() {
        return sentTo(TOPICS.dlq.name()).stream().map(r -> TOPICS.dlq.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldAnswerOtlpJsonWithAnEmptyResponseOnceEverySpanIsSent() throws Exception {
        start(true, Map.of());
        HttpResponse<byte[]> r = send(post("/v1/traces", fixture("otlp-json/traces.json"), "application/json"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(sentTo(TOPICS.usageAvro.name())).hasSize(2);
        assertThat(counter(IngestMetrics.RECORDS, "format", "otlp-json", "outcome", "accepted")).isEqualTo(2);
        assertThat(counter(IngestMetrics.RECORDS, "format", "otlp-json", "outcome", "ignored")).isEqualTo(2);
        assertThat(counter(IngestMetrics.REQUESTS, "route", "otlp", "status", "200")).isEqualTo(1);
        assertThat(meters.find(IngestMetrics.ACK_LATENCY).timer().count()).isEqualTo(1);
    }

    @Test
    void shouldReportRejectedSpansAsPartialSuccessInJsonAndPutThemOnTheDlq() throws Exception {
        start(true, Map.of());
        // The first model-call span's input count is not an integer: an invalid_value reject; the other span still goes.
        String body = new String(fixture("otlp-json/traces.json"), StandardCharsets.UTF_8).replaceFirst("\"48210\"", "\"48210.5\"");
        HttpResponse<byte[]> r = send(post("/v1/traces", body.getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8"));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode partial = json(r).get("partialSuccess");
        assertThat(partial.get("rejectedSpans").asText()).isEqualTo("1");
        assertThat(partial.get("errorMessage").asText()).contains("invalid_value").contains("resourceSpans[0].scopeSpans[0].spans[0]");
        assertThat(sentTo(TOPICS.usageAvro.name())).hasSize(1);
        DeadLetter dl = deadLetters().get(0);
        assertThat(dl.getReason()).isEqualTo("invalid_value");
        assertThat(dl.getStage()).isEqualTo("ingest");
        assertThat(dl.getSourceTopic()).isEqualTo("ingest:otlp-json");
        assertThat(dl.getDetail()).contains("POST /v1/traces");
        assertThat(counter(IngestMetrics.REJECTS, "format", "otlp-json", "reason", "invalid_value")).isEqualTo(1);
    }

    @Test
    void shouldAnswerProtobufWithAProtobufPartialSuccess() throws Exception {
        start(true, Map.of());
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.parseFrom(fixture("otlp-proto/traces.pb")).toBuilder();
        Span.Builder span = request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
        // The first model-call span counts fewer input tokens than its cache reads: subset_exceeds_total.
        for (int i = 0; i < span.getAttributesCount(); i++) {
            if (span.getAttributes(i).getKey().equals("gen_ai.usage.input_tokens")) {
                span.getAttributesBuilder(i).getValueBuilder().setIntValue(100);
            }
        }
        HttpResponse<byte[]> r = send(post("/v1/traces", request.build().toByteArray(), "application/x-protobuf"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("subset_exceeds_total");
        assertThat(sentTo(TOPICS.usageAvro.name())).hasSize(1);
        assertThat(deadLetters()).extracting(DeadLetter::getSourceTopic).containsExactly("ingest:otlp-proto");
    }

    @Test
    void shouldReadAGzipBody() throws Exception {
        start(true, Map.of());
        HttpResponse<byte[]> r = send(post("/v1/traces", gzip(fixture("otlp-json/traces.json")), "application/json")
                .header("Content-Encoding", "gzip"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(sentTo(TOPICS.usageAvro.name())).hasSize(2);
    }

    @Test
    void shouldRefuseAnUnknownEncodingAndAContentTypeOtlpHasNot() throws Exception {
        start(true, Map.of());
        assertThat(send(post("/v1/traces", fixture("otlp-json/traces.json"), "application/json").header("Content-Encoding", "br"))
                .statusCode()).isEqualTo(415);
        assertThat(send(post("/v1/traces", fixture("otlp-json/traces.json"), "text/plain")).statusCode()).isEqualTo(415);
        assertThat(send(post("/v1/traces", "not gzip".getBytes(StandardCharsets.UTF_8), "application/json")
                .header("Content-Encoding", "gzip")).statusCode()).isEqualTo(415);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldListRejectsOfAFormatAndAnswer400WhenNothingParsed() throws Exception {
        start(true, Map.of());
        byte[] good = fixture("anthropic-usage/messages.jsonl");
        byte[] withBadLine = (new String(good, StandardCharsets.UTF_8).strip() + "\n{\"id\":\"msg_x\",\"model\":\"claude-sonnet-4-5\","
                + "\"timestamp\":\"2026-11-02T11:00:00Z\"}\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> partial = send(post("/ingest/anthropic-usage", withBadLine, "application/x-ndjson"));

        assertThat(partial.statusCode()).isEqualTo(200);
        JsonNode body = json(partial);
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("rejected_count").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").get(0).get("locator").asText()).isEqualTo("line 3");
        assertThat(body.get("rejected").get(0).get("reason").asText()).isEqualTo("missing_usage");
        assertThat(body.get("ignored").asInt()).isZero();
        assertThat(deadLetters()).extracting(DeadLetter::getSourceOffset).containsExactly(3L);

        HttpResponse<byte[]> nothing = send(post("/ingest/litellm", "{not json".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(json(nothing).get("accepted").asInt()).isZero();
        assertThat(json(nothing).get("rejected").get(0).get("reason").asText()).isEqualTo("undecodable");
        assertThat(counter(IngestMetrics.REQUESTS, "route", "ingest", "status", "400")).isEqualTo(1);
    }

    @Test
    void shouldServeEveryFormatAndNoOther() throws Exception {
        start(true, Map.of());
        Map<String, String> fixtures = new HashMap<>(Map.of("litellm", "litellm/callback.json", "helicone", "helicone/lines.jsonl",
                "portkey", "portkey/logs.jsonl", "openai-usage", "openai-usage/envelopes.jsonl",
                "anthropic-usage", "anthropic-usage/messages.jsonl", "bedrock-usage", "bedrock-usage/converse.jsonl",
                "native", "litellm/callback.native.jsonl", "otlp-json", "otlp-json/traces.json", "otlp-proto", "otlp-proto/traces.pb"));
        for (var f : fixtures.entrySet()) {
            HttpResponse<byte[]> r = send(post("/ingest/" + f.getKey(), fixture(f.getValue()), "application/json"));
            assertThat(r.statusCode()).as(f.getKey()).isEqualTo(200);
            assertThat(json(r).get("rejected_count").asInt()).as(f.getKey()).isZero();
            assertThat(json(r).get("accepted").asInt()).as(f.getKey()).isPositive();
        }
        assertThat(send(post("/ingest/cloudevents", fixture("cloudevents/structured.json"), "application/cloudevents+json"))
                .statusCode()).isEqualTo(200);
        HttpResponse<byte[]> batch = send(post("/ingest/cloudevents", fixture("cloudevents/batch.json"), "application/cloudevents-batch+json"));
        assertThat(json(batch).get("accepted").asInt()).isEqualTo(2);

        HttpResponse<byte[]> unknown = send(post("/ingest/langfuse", "{}".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("unknown_format");
        assertThat(send(post("/ingest", new byte[0], "application/json")).statusCode()).isEqualTo(404);
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/ingest/litellm")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void shouldRequireOneOfTheConfiguredBearerTokens() throws Exception {
        start(true, Map.of(TokenLedgerConfig.HTTP_INGEST_BEARER_TOKENS, "s3cret-one, s3cret-two"));
        byte[] body = fixture("otlp-json/traces.json");

        HttpResponse<byte[]> none = send(post("/v1/traces", body, "application/json"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(send(post("/ingest/otlp-json", body, "application/json").header("Authorization", "Bearer s3cret-three")).statusCode())
                .isEqualTo(401);
        assertThat(send(post("/ingest/otlp-json", body, "application/json").header("Authorization", "Basic s3cret-one")).statusCode())
                .isEqualTo(401);
        assertThat(new String(none.body(), StandardCharsets.UTF_8)).doesNotContain("s3cret");
        assertThat(producer.history()).isEmpty();

        assertThat(send(post("/v1/traces", body, "application/json").header("Authorization", "Bearer s3cret-two")).statusCode()).isEqualTo(200);
        assertThat(send(post("/ingest/otlp-json", body, "application/json").header("Authorization", "bearer s3cret-one")).statusCode())
                .isEqualTo(200);
        assertThat(counter(IngestMetrics.REQUESTS, "route", "otlp", "status", "401")).isEqualTo(1);
        assertThat(counter(IngestMetrics.REQUESTS, "route", "ingest", "status", "401")).isEqualTo(2);
    }

    @Test
    void shouldRefuseABodyBeyondTheLimitDeclaredOrNotCompressedOrNotWithATooLargeDeadLetter() throws Exception {
        start(true, Map.of(TokenLedgerConfig.HTTP_INGEST_MAX_BODY_BYTES, "2048"));
        byte[] big = new byte[3000];
        Arrays.fill(big, (byte) ' ');
        byte[] exactly = Arrays.copyOf(big, 2048);

        HttpResponse<byte[]> declared = send(post("/ingest/native", big, "application/json"));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).get("rejected").get(0).get("reason").asText()).isEqualTo("too_large");
        // Without a Content-Length (chunked), the read stops at the limit.
        HttpResponse<byte[]> chunked = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/ingest/native"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        // 3000 bytes of blanks gzip to a few dozen: the decoded size is what counts.
        HttpResponse<byte[]> inflated = send(post("/v1/traces", gzip(big), "application/json").header("Content-Encoding", "gzip"));
        assertThat(inflated.statusCode()).isEqualTo(413);
        assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly("too_large", "too_large", "too_large");
        assertThat(deadLetters().get(1).getOriginalValue().remaining()).isEqualTo(1024);
        assertThat(counter(IngestMetrics.REJECTS, "format", "native", "reason", "too_large")).isEqualTo(2);

        // At the limit it is read (blank lines: nothing to parse, nothing rejected).
        HttpResponse<byte[]> atLimit = send(post("/ingest/native", exactly, "application/json"));
        assertThat(atLimit.statusCode()).isNotEqualTo(413);
    }

    @Test
    void shouldAnswer429WithRetryAfterWhileTheBrokerHasNotAcknowledgedTheInFlightLimit() throws Exception {
        start(false, Map.of(TokenLedgerConfig.HTTP_INGEST_MAX_IN_FLIGHT, "2", TokenLedgerConfig.HTTP_INGEST_RETRY_AFTER, "PT2S"));
        byte[] body = fixture("otlp-json/traces.json");
        CompletableFuture<HttpResponse<byte[]>> first = client.sendAsync(post("/v1/traces", body, "application/json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.inFlight() == 2);

        HttpResponse<byte[]> refused = send(post("/v1/traces", body, "application/json"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(json(refused).get("code").asInt()).isEqualTo(OtlpResponses.RESOURCE_EXHAUSTED);
        assertThat(first).isNotDone(); // the first request is still waiting for its acknowledgements

        while (producer.completeNext()) {
            // the broker catches up
        }
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(sink.inFlight()).isZero();
        assertThat(counter(IngestMetrics.REQUESTS, "route", "otlp", "status", "429")).isEqualTo(1);
    }

    @Test
    void shouldAnswer503WhenTheBrokerRefusesASend() throws Exception {
        start(false, Map.of());
        CompletableFuture<HttpResponse<byte[]>> request = client.sendAsync(
                post("/ingest/otlp-json", fixture("otlp-json/traces.json"), "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.inFlight() == 2);
        producer.completeNext();
        producer.errorNext(new NotEnoughReplicasException("2 of 3 in sync"));

        HttpResponse<byte[]> r = request.get();
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(r).get("error").asText()).isEqualTo("not_acknowledged");
        assertThat(json(r).has("accepted")).isFalse();
        assertThat(counter(IngestMetrics.RECORDS, "format", "otlp-json", "outcome", "accepted")).isZero();
    }

    @Test
    void shouldAnswer503WhenTheBrokerDoesNotAcknowledgeInTime() throws Exception {
        start(false, Map.of(TokenLedgerConfig.HTTP_INGEST_ACK_TIMEOUT, "PT0.3S"));
        long started = System.nanoTime();
        HttpResponse<byte[]> r = send(post("/ingest/otlp-json", fixture("otlp-json/traces.json"), "application/json"));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(json(r).get("detail").asText()).contains("PT0.3S");
        assertThat(sink.inFlight()).isEqualTo(2); // still in the producer's hands: a retry is deduplicated by request id
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
