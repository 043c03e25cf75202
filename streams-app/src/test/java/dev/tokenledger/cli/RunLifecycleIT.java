package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.testing.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenledger run} as an operator meets it, in a child JVM: an unreachable broker is said
 * and given up on, SIGTERM closes Streams before the JVM ends, and a deterministic failure stops
 * the application instead of replacing its threads forever.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunLifecycleIT {

    private static final Path LOG_DIR = Path.of("target", "run-lifecycle-it");
    private static final String INGEST_TOKEN = "lifecycle-ingest-token-7f3a";
    private static final Pattern HTTP_PORT = Pattern.compile("http://localhost:(\\d+)/metrics");

    private final List<ChildJvm> children = new ArrayList<>();
    private Path dir;
    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            for (ChildJvm child : children) {
                child.close();
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void shouldSayWhatItRetriesAndGiveUpWhenTheBrokerIsUnreachable() throws Exception {
        ChildJvm app = run("unreachable", "127.0.0.1:1", "--set", TokenLedgerConfig.STARTUP_TIMEOUT + "=PT8S");

        OptionalInt exit = app.awaitExit(Duration.ofSeconds(25)); // the 8 s timeout plus JVM start

        assertThat(exit).as(app.logTail(30)).isPresent();
        assertThat(exit.getAsInt()).as(app.logTail(30)).isNotZero();
        assertThat(app.log())
                .contains("Kafka broker at 127.0.0.1:1 not reachable yet (attempt 1")
                .contains("did not answer within PT8S (" + TokenLedgerConfig.STARTUP_TIMEOUT + ")");
    }

    @Test
    void shouldSayWhatItRetriesAndGiveUpWhenTheSchemaRegistryIsUnreachable() throws Exception {
        ChildJvm app = run("registry-unreachable", broker.bootstrapServers(),
                "--schema-registry-url", "http://127.0.0.1:1/apis/ccompat/v7",
                "--set", TokenLedgerConfig.STARTUP_TIMEOUT + "=PT4S");

        OptionalInt exit = app.awaitExit(Duration.ofSeconds(25));

        assertThat(exit).as(app.logTail(30)).isPresent();
        assertThat(exit.getAsInt()).as(app.logTail(30)).isNotZero();
        assertThat(app.log())
                .contains("schema registry at http://127.0.0.1:1/apis/ccompat/v7 not reachable yet (attempt 1")
                .contains("did not answer within PT4S");
    }

    @Test
    void shouldCloseStreamsCleanlyAndExitZeroOnSigterm() throws Exception {
        ChildJvm app = run("sigterm", broker.bootstrapServers(), "--set", "application.id=lifecycle-sigterm",
                "--set", TokenLedgerConfig.HTTP_INGEST_BEARER_TOKENS + "=" + INGEST_TOKEN);
        await("RUNNING").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                .failFast(app.name() + " exited by itself", () -> !app.isAlive())
                .until(() -> app.log().contains("Kafka Streams is RUNNING"));
        int port = httpPort(app);
        assertThat(get(port, "/health/ready")).isEqualTo(200);
        assertThat(get(port, "/health/live")).isEqualTo(200);
        // HTTP ingest is on the same port, behind its token, and answers once the broker acknowledged.
        String event = "{\"request_id\":\"lifecycle-1\",\"timestamp\":\"" + java.time.Instant.now() + "\",\"provider\":\"openai\","
                + "\"request_model\":\"gpt-4o\",\"input_tokens\":100,\"output_tokens\":10}";
        assertThat(postIngest(port, event, null)).isEqualTo(401);
        assertThat(postIngest(port, event, INGEST_TOKEN)).isEqualTo(200);
        assertThat(app.log()).doesNotContain(INGEST_TOKEN);

        app.terminate();
        OptionalInt exit = app.awaitExit(Duration.ofSeconds(45));

        assertThat(exit).as(app.logTail(30)).hasValue(0);
        assertThat(app.log()).contains("stop signal received").contains("Kafka Streams closed cleanly");
    }

    @Test
    void shouldStopWithANonZeroExitWhenAStreamThreadFailsDeterministically() throws Exception {
        // A sub-millisecond punctuation interval passes the registry (it is positive) but Kafka Streams
        // refuses it, failing every task's initialisation, on every new thread.
        ChildJvm app = run("deterministic-failure", broker.bootstrapServers(),
                "--set", "application.id=lifecycle-failure",
                "--set", TokenLedgerConfig.ROLLUP_EMIT_INTERVAL + "=PT0.0005S",
                "--set", TokenLedgerConfig.MAX_THREAD_REPLACEMENTS + "=1",
                // The failed thread's consumer does not leave the group: let the broker notice within seconds.
                "--set", "session.timeout.ms=6000",
                "--set", "heartbeat.interval.ms=1000");

        OptionalInt exit = app.awaitExit(Duration.ofSeconds(50));

        assertThat(exit).as(app.logTail(30)).isPresent();
        assertThat(exit.getAsInt()).as(app.logTail(30)).isNotZero();
        assertThat(app.log())
                .contains("replacing it (1 of 1 replacements allowed")
                .contains("no replacement left (1 allowed within PT10M); shutting the Streams client down")
                .contains("Kafka Streams shut itself down (org.apache.kafka.streams.errors.StreamsException")
                .contains("caused by java.lang.IllegalArgumentException: The minimum supported scheduling interval");
    }

    private ChildJvm run(String name, String bootstrapServers, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("run",
                "--bootstrap-servers", bootstrapServers,
                "--state-dir", dir.resolve("state-" + name).toString(),
                "--http-port", "0",
                "--create-topics", "--partitions", "1", "--replication-factor", "1",
                "--set", "commit.interval.ms=100"));
        args.addAll(List.of(more));
        ChildJvm child = ChildJvm.start(name, List.of("-Xmx256m"), TokenLedger.class.getName(), args, LOG_DIR.resolve(name + ".log"));
        children.add(child);
        return child;
    }

    private static int httpPort(ChildJvm app) {
        Matcher m = HTTP_PORT.matcher(app.log());
        assertThat(m.find()).as(app.logTail(30)).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static int postIngest(int port, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ingest/native"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
