package dev.tokenledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.serde.AvroFixtures;
import dev.tokenledger.serde.ConfluentAvroSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST client and the serdes against a real Apicurio Registry (Confluent-compatible API under
 * {@code /apis/ccompat/v7}), unpacked by the build into {@code apicurio.dir} and run as a child
 * process on a free port of 127.0.0.1 with its default in-memory storage.
 */
class RestSchemaRegistryClientIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private static Process registry;
    private static Path registryLog;
    private static String baseUrl;

    @BeforeAll
    static void startApicurio() throws Exception {
        Path home = Path.of(System.getProperty("apicurio.dir", "target/apicurio"));
        Path runner = runnerJar(home);
        int port = freePort();
        registryLog = home.resolve("registry-it.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        registry = new ProcessBuilder(java, "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.initial-size=2",
                "-Dquarkus.datasource.jdbc.min-size=2",
                "-jar", runner.toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(registryLog.toFile())
                .start();
        awaitReady("http://127.0.0.1:" + port + "/health/ready");
        baseUrl = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    @AfterAll
    static void stopApicurio() throws InterruptedException {
        if (registry == null) {
            return;
        }
        registry.destroy();
        if (!registry.waitFor(20, TimeUnit.SECONDS)) {
            registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRegisterASchemaAndLookItUpByIdFromAnotherClient() {
        int id = new RestSchemaRegistryClient(baseUrl).register("it.usage.v1-value", UsageEvent.getClassSchema());

        Schema fetched = new RestSchemaRegistryClient(baseUrl).schemaById(id);

        assertThat(fetched).isEqualTo(UsageEvent.getClassSchema());
    }

    @Test
    void shouldGiveTheSameIdToTheSameSchemaUnderTheSameSubjectAndANewIdToAChangedOne() {
        Schema first = SchemaBuilder.record("Probe").namespace("it").fields().requiredLong("a").endRecord();
        Schema changed = SchemaBuilder.record("Probe").namespace("it").fields()
                .requiredLong("a").optionalString("b").endRecord();

        int id = new RestSchemaRegistryClient(baseUrl).register("it.probe-value", first);
        int again = new RestSchemaRegistryClient(baseUrl).register("it.probe-value", first);
        int changedId = new RestSchemaRegistryClient(baseUrl).register("it.probe-value", changed);

        assertThat(again).isEqualTo(id);
        assertThat(changedId).isNotEqualTo(id);
        assertThat(new RestSchemaRegistryClient(baseUrl).schemaById(changedId)).isEqualTo(changed);
    }

    @Test
    void shouldReportAnUnknownIdWithTheRegistrysNotFoundStatus() {
        assertThatThrownBy(() -> new RestSchemaRegistryClient(baseUrl).schemaById(987_654))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).hasValue(404))
                .hasMessageContaining("/schemas/ids/987654");
    }

    @Test
    void shouldRoundTripPricedUsageThroughTheRealRegistry() {
        String topic = "it.usage.priced.v1";
        ConfluentAvroSerde<PricedUsage> producerSide =
                ConfluentAvroSerde.forValues(new RestSchemaRegistryClient(baseUrl), PricedUsage.class);
        ConfluentAvroSerde<PricedUsage> consumerSide =
                ConfluentAvroSerde.forValues(new RestSchemaRegistryClient(baseUrl), PricedUsage.class);
        PricedUsage priced = AvroFixtures.pricedUsage("req-it-1", true);
        PricedUsage unpriced = AvroFixtures.pricedUsage("req-it-2", false);

        byte[] pricedBytes = producerSide.serializer().serialize(topic, priced);
        byte[] unpricedBytes = producerSide.serializer().serialize(topic, unpriced);

        assertThat(consumerSide.deserializer().deserialize(topic, pricedBytes)).isEqualTo(priced);
        assertThat(consumerSide.deserializer().deserialize(topic, unpricedBytes)).isEqualTo(unpriced);
        int writtenId = ByteBuffer.wrap(pricedBytes, 1, 4).getInt();
        assertThat(new RestSchemaRegistryClient(baseUrl).schemaById(writtenId)).isEqualTo(PricedUsage.getClassSchema());
    }

    private static Path runnerJar(Path home) throws IOException {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("No Apicurio Registry in " + home.toAbsolutePath()
                    + ": run this test with `mvn verify`, which unpacks it in pre-integration-test");
        }
        try (Stream<Path> files = Files.list(home)) {
            List<Path> runners = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).toList();
            if (runners.size() != 1) {
                throw new IllegalStateException("Expected one *-runner.jar in " + home + ", found " + runners);
            }
            return runners.get(0);
        }
    }

    private static void awaitReady(String readinessUrl) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(readinessUrl)).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                throw new IllegalStateException("Apicurio exited with " + registry.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Apicurio not ready after " + READY_TIMEOUT + ":\n" + logTail());
    }

    private static String logTail() throws IOException {
        List<String> lines = Files.readAllLines(registryLog);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
