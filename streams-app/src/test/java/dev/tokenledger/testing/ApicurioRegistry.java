package dev.tokenledger.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (Confluent-compatible API under {@code /apis/ccompat/v7}) for
 * integration tests: unpacked by the build into the {@code apicurio.dir} system property
 * (pre-integration-test), run as a child process on a free port of 127.0.0.1 with its default
 * in-memory storage. Its output goes to a log file in that directory, whose tail is shown if it
 * does not come up.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    private final int port;

    private ApicurioRegistry(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Launches the registry without waiting for it; {@link #awaitReady()} waits. */
    public static ApicurioRegistry launch(String logName) throws IOException {
        Path home = Path.of(System.getProperty("apicurio.dir", "target/apicurio"));
        Path runner = runnerJar(home);
        int port = freePort();
        Path log = home.resolve(logName);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.initial-size=2",
                "-Dquarkus.datasource.jdbc.min-size=2",
                "-jar", runner.toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ApicurioRegistry(process, log, port);
    }

    /** Launches the registry and returns once it reports ready. */
    public static ApicurioRegistry start(String logName) throws Exception {
        ApicurioRegistry registry = launch(logName);
        try {
            registry.awaitReady();
        } catch (Exception | Error e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** The base URL a {@code RestSchemaRegistryClient} (or {@code schema.registry.url}) takes. */
    public String ccompatUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio exited with " + process.exitValue() + ":\n" + logTail());
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

    /** Asks the registry to stop, and kills it if it has not within 20 seconds. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
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

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
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
