package dev.tokenledger.runtime;

import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.perMillion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.cli.TokenLedger;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.testing.ApicurioRegistry;
import dev.tokenledger.testing.ChildJvm;
import dev.tokenledger.testing.TestEvents;
import dev.tokenledger.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once verified by an invariant, after faults: the Streams application runs as
 * {@code tokenledger run} (its shipped default, {@code exactly_once_v2}) in a child JVM against a
 * real in-process broker and a real Apicurio registry, a gateway sends a known set of events (with duplicates) at a steady rate, and the
 * child is killed with SIGKILL twice while output is partly committed: restarted once on the same
 * state directory and once on an empty one (so every store is restored from its changelog). The
 * verifier then reads the committed output and requires every request priced exactly once at the
 * cost computed here, and the latest rollups, hourly and daily, to sum to the same total to the
 * last digit, key by key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactlyOnceCrashIT {

    private static final int UNIQUE_EVENTS = 20_000;
    private static final int EVENTS_PER_SECOND = 500;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(150);
    /** Outside the temporary directory, so the children's logs survive a failed run. */
    private static final Path LOG_DIR = Path.of("target", "crash-it");

    private final List<ChildJvm> children = new ArrayList<>();
    private Path dir;
    private ApicurioRegistry apicurio;
    private EmbeddedKafkaBroker broker;
    private Topics topics;
    private long startedAt;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        startedAt = System.nanoTime();
        dir = tempDir;
        apicurio = ApicurioRegistry.launch("crash-it-registry.log");
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        apicurio.awaitReady();
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, apicurio.ccompatUrl()));
        topics = new Topics(config, SchemaRegistries.fromUrl(apicurio.ccompatUrl()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 2, (short) 1));
        }
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.pricebook,
                prices().stream().map(p -> KeyValue.pair(PriceBook.keyOf(p), p)).toList());
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.ownership,
                List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
        log("broker, registry, topics and reference data ready");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            for (ChildJvm child : children) {
                child.close();
            }
        } finally {
            try {
                if (broker != null) {
                    broker.close();
                }
            } finally {
                if (apicurio != null) {
                    apicurio.close();
                }
            }
        }
    }

    @Test
    void shouldNeitherLoseNorDoubleAnyCostWhenTheAppIsKilledAndRestartedMidStream() throws Exception {
        KnownTraffic traffic = KnownTraffic.generate(7, UNIQUE_EVENTS, prices(),
                Instant.now().minusSeconds(60), Duration.ofHours(20), 20, 1_000);
        Path stateA = Files.createDirectories(dir.resolve("state-a"));
        Path stateB = Files.createDirectories(dir.resolve("state-b"));

        try (UsageProducer producer = new UsageProducer(broker.bootstrapServers(), topics);
             SteadySender sender = new SteadySender(producer, traffic.sends(), EVENTS_PER_SECOND);
             CommittedOutput output = new CommittedOutput(broker.bootstrapServers(), topics)) {
            ChildJvm first = startApp("app-1", stateA);
            sender.start();
            log("sending " + traffic.sends().size() + " records (" + traffic.unique() + " unique) at "
                    + EVENTS_PER_SECOND + "/s");

            killMidStream(first, output, sender, UNIQUE_EVENTS / 4);
            ChildJvm second = startApp("app-2-same-state", stateA);
            killMidStream(second, output, sender, UNIQUE_EVENTS * 3 / 5);
            ChildJvm third = startApp("app-3-empty-state", stateB);

            await("all output committed and tied out").atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .failFast(third.name() + " exited by itself", () -> !third.isAlive())
                    .untilAsserted(() -> {
                        output.poll(Duration.ofMillis(200));
                        assertThat(sender.finished()).as("sender done").isTrue();
                        assertThat(output.invariantViolations(traffic.expectedCost())).as("exactly-once invariant").isEmpty();
                    });
            log("settled: " + output.distinctPriced() + " requests priced once each, " + output.rollupKeys()
                    + " rollup keys, total " + traffic.expectedTotal().toPlainString() + " USD");

            // Anything still to come after the totals tied out could only be a late double.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                output.poll(Duration.ofMillis(200));
            }
            assertThat(output.invariantViolations(traffic.expectedCost())).as("exactly-once invariant, 3 s later").isEmpty();
        }
        log("done");
    }

    /**
     * Waits until at least {@code committedAtLeast} requests are priced and committed, then kills
     * the application with SIGKILL while the rest is still in flight.
     */
    private void killMidStream(ChildJvm app, CommittedOutput output, SteadySender sender, int committedAtLeast)
            throws InterruptedException {
        await(app.name() + " commits " + committedAtLeast + " priced requests").atMost(PHASE_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .failFast(app.name() + " exited by itself", () -> !app.isAlive())
                .until(() -> {
                    output.poll(Duration.ofMillis(50));
                    return output.distinctPriced() >= committedAtLeast;
                });
        app.kill();
        output.poll(Duration.ofMillis(200));
        int committed = output.distinctPriced();
        log("SIGKILLed " + app.name() + " with " + committed + " of " + UNIQUE_EVENTS + " requests committed, "
                + sender.sent() + " records sent");
        assertThat(committed).as("the kill must come while output is only partly committed").isLessThan(UNIQUE_EVENTS);
    }

    private ChildJvm startApp(String name, Path stateDir) throws Exception {
        ChildJvm child = ChildJvm.start(name, List.of("-Xmx256m"), TokenLedger.class.getName(), List.of(
                "run",
                "--bootstrap-servers", broker.bootstrapServers(),
                "--schema-registry-url", apicurio.ccompatUrl(),
                "--state-dir", stateDir.toString(),
                "--http-port", "0",
                "--set", TokenLedgerConfig.ROLLUP_EMIT_INTERVAL + "=PT0.5S",
                "--set", "commit.interval.ms=100",
                // The killed member never leaves the group: let the broker notice within seconds.
                "--set", "session.timeout.ms=6000",
                "--set", "heartbeat.interval.ms=1000"),
                LOG_DIR.resolve(name + ".log"));
        children.add(child);
        log("started " + name + " (pid " + child.pid() + ") on " + stateDir.getFileName());
        return child;
    }

    /** Two models, with cache-read rates, so requests mix three token classes at two price levels. */
    private static List<PriceEntry> prices() {
        return List.of(
                withCacheRead(TestEvents.price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00"), "1.25"),
                withCacheRead(TestEvents.price("openai", "gpt-4o-mini", Instant.EPOCH, "0.15", "0.60"), "0.075"));
    }

    private static PriceEntry withCacheRead(PriceEntry entry, String cacheReadPerM) {
        PriceRates rates = PriceRates.newBuilder(entry.getStandard()).setCacheRead(perMillion(cacheReadPerM)).build();
        return PriceEntry.newBuilder(entry).setStandard(rates).build();
    }

    private void log(String message) {
        System.out.printf("ExactlyOnceCrashIT +%5.1fs | %s%n",
                (System.nanoTime() - startedAt) / 1e9, message);
    }
}
