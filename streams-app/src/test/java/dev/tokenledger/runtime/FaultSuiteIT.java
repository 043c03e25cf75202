package dev.tokenledger.runtime;

import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.perMillion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.cli.TokenLedger;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.testing.ApicurioRegistry;
import dev.tokenledger.testing.BrokerProcess;
import dev.tokenledger.testing.ChildJvm;
import dev.tokenledger.testing.TestEvents;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.warehouse.EmbeddedConnect;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite: nothing lost, nothing doubled, after the faults a production cluster sees.
 *
 * <p>The broker, the Streams application ({@code tokenledger run}, {@code exactly_once_v2}) and a
 * real Apicurio registry each run in a process of their own. A gateway plays a backfill of the past
 * 30 days in random order, with duplicates anywhere in the stream (on either input), bad lines and
 * events beyond the acceptance horizon. Meanwhile the application is killed with SIGKILL at random
 * moments ({@code faults.kills} times, at least 10), the broker is killed and restarted once, and
 * once the application comes back on a wiped state directory (every store restored from its
 * changelog). The verifier then requires every request priced exactly once at the cost computed
 * independently here, the latest hourly and daily rollups to sum to the same total key by key,
 * every rejected record on the DLQ exactly once, and the warehouse (a Kafka Connect worker and
 * PostgreSQL fed from the committed output) to hold the same total to the last digit.
 *
 * <p>CI runs the small size; the full size is {@code -Dfaults.unique=100000 -Dfaults.kills=20}
 * (see RELIABILITY.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultSuiteIT {

    private static final int UNIQUE_EVENTS = Integer.getInteger("faults.unique", 6_000);
    private static final int KILLS = Math.max(10, Integer.getInteger("faults.kills", 10));
    private static final long SEED = Long.getLong("faults.seed", 7L);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(180);
    /** Outside the temporary directory, so the children's logs survive a failed run. */
    private static final Path LOG_DIR = Path.of("target", "fault-suite");

    private final List<ChildJvm> children = new ArrayList<>();
    private final Random chaos = new Random(SEED);
    private Path dir;
    private ApicurioRegistry apicurio;
    private ChildJvm broker;
    private int brokerPort;
    private String bootstrap;
    private Topics topics;
    private long startedAt;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        startedAt = System.nanoTime();
        dir = tempDir;
        apicurio = ApicurioRegistry.launch("fault-suite-registry.log");
        brokerPort = EmbeddedKafkaBroker.freePort();
        bootstrap = "127.0.0.1:" + brokerPort;
        broker = startBroker("broker-1");
        apicurio.awaitReady();
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.BOOTSTRAP_SERVERS, bootstrap,
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, apicurio.ccompatUrl()));
        topics = new Topics(config, SchemaRegistries.fromUrl(apicurio.ccompatUrl()));
        try (Admin admin = admin()) {
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 2, (short) 1));
        }
        ReferenceDataPublisher.publish(bootstrap, topics.pricebook,
                prices().stream().map(p -> KeyValue.pair(PriceBook.keyOf(p), p)).toList());
        ReferenceDataPublisher.publish(bootstrap, topics.ownership,
                List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
        log("broker (own process), registry, topics and reference data ready");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            for (ChildJvm child : children) {
                child.close();
            }
        } finally {
            if (apicurio != null) {
                apicurio.close();
            }
        }
    }

    @Test
    void shouldNeitherLoseNorDoubleAnythingThroughKillsABrokerRestartAndAStateWipe() throws Exception {
        KnownTraffic traffic = KnownTraffic.backfill(SEED, UNIQUE_EVENTS, prices(), Instant.now().minusSeconds(60),
                Duration.ofDays(30), UNIQUE_EVENTS / 10, UNIQUE_EVENTS / 100, UNIQUE_EVENTS / 200);
        // Spread the traffic over the kills, so that most of them land while records are in flight.
        int rate = Math.max(100, traffic.sends().size() / (KILLS * 5));
        Path state = dir.resolve("state");
        int midStreamKills = 0;

        try (UsageProducer producer = new UsageProducer(bootstrap, topics);
             SteadySender sender = new SteadySender(producer, traffic.sends(), rate);
             CommittedOutput output = new CommittedOutput(bootstrap, topics)) {
            log("sending " + traffic.sends().size() + " records (" + traffic.unique() + " unique, "
                    + traffic.expectedDeadLetters() + " to dead-letter) at " + rate + "/s");
            for (int k = 1; k <= KILLS; k++) {
                if (k == KILLS * 3 / 4) {
                    wipe(state);
                }
                ChildJvm app = startApp("app-" + k, Files.createDirectories(state));
                if (k == 1) {
                    sender.start();
                }
                // A random moment after the instance has joined and started committing (a new member
                // waits out the killed one's session first), or after a while once all is committed.
                long started = System.nanoTime();
                int before = drain(output);
                await(app.name() + " makes progress").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .failFast(app.name() + " exited by itself", () -> !app.isAlive())
                        .until(() -> {
                            output.poll(Duration.ofMillis(50));
                            return output.distinctPriced() > before || (before == UNIQUE_EVENTS
                                    && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(8));
                        });
                sleepWhileAlive(app, chaos.nextInt(3_000));
                long uptimeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                app.kill();
                output.poll(Duration.ofMillis(200));
                boolean midStream = output.distinctPriced() < UNIQUE_EVENTS;
                midStreamKills += midStream ? 1 : 0;
                log("SIGKILL " + k + "/" + KILLS + ": " + app.name() + " after " + uptimeMs + " ms, "
                        + output.distinctPriced() + " of " + UNIQUE_EVENTS + " requests committed, "
                        + sender.sent() + " records sent");
                if (k == KILLS / 2) {
                    broker.kill();
                    log("SIGKILL broker; restarting it on the same data and port");
                    broker = startBroker("broker-2");
                }
            }
            ChildJvm last = startApp("app-final", Files.createDirectories(state));

            await("all output committed, tied out and dead-lettered").atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .failFast(last.name() + " exited by itself", () -> !last.isAlive())
                    .untilAsserted(() -> {
                        output.poll(Duration.ofMillis(200));
                        assertThat(sender.finished()).as("sender done").isTrue();
                        assertThat(output.invariantViolations(traffic.expectedCost())).as("exactly-once invariant").isEmpty();
                        assertThat(output.deadLettersByReason()).as("dead letters by reason")
                                .isEqualTo(traffic.expectedDeadLettersByReason());
                    });
            log("settled: " + output.distinctPriced() + " requests priced once each, " + output.rollupKeys()
                    + " rollup keys, " + output.deadLetters() + " dead letters " + output.deadLettersByReason()
                    + ", total " + traffic.expectedTotal().toPlainString() + " USD");

            // Anything still to come after the totals tied out could only be a late double.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                output.poll(Duration.ofMillis(200));
            }
            assertThat(output.invariantViolations(traffic.expectedCost())).as("exactly-once invariant, 3 s later").isEmpty();
            assertThat(output.deadLettersByReason()).isEqualTo(traffic.expectedDeadLettersByReason());
            assertThat(midStreamKills).as("kills while output was only partly committed").isGreaterThanOrEqualTo(3);
        }
        assertTheWarehouseHoldsTheSameTotal(traffic);
        log("done");
    }

    /** A Connect worker and PostgreSQL, fed from the committed output after all the faults. */
    private void assertTheWarehouseHoldsTheSameTotal(KnownTraffic traffic) throws Exception {
        BigDecimal expected = traffic.expectedTotal();
        try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
             EmbeddedConnect connect = EmbeddedConnect.start(bootstrap, dir.resolve("connect"))) {
            List<String> sinks = List.of(SinkConnectorConfigs.ROLLUPS, SinkConnectorConfigs.PRICED_USAGE);
            for (String name : sinks) {
                connect.startConnector(SinkConnectorConfigs.sink(name, warehouse, apicurio.ccompatUrl()));
            }
            await("the warehouse ties out").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .conditionEvaluationListener(c -> {
                        if (c.getRemainingTimeInMS() <= 1_000 && !c.isSatisfied()) {
                            log("warehouse diagnosis: " + missingFromWarehouse(warehouse, traffic) + "; sink DLQ: " + sinkDeadLetters());
                        }
                    })
                    .untilAsserted(() -> {
                        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                             ResultSet r = s.executeQuery("""
                                     select (select count(*) from llm_usage_priced),
                                            (select coalesce(sum(cost_total), 0) from llm_usage_priced),
                                            (select coalesce(sum(cost_total), 0) from llm_rollups where granularity = 'hourly'),
                                            (select coalesce(sum(cost_total), 0) from llm_rollups where granularity = 'daily')""")) {
                            r.next();
                            assertThat(r.getLong(1)).as("priced rows").isEqualTo(traffic.unique());
                            assertThat(r.getBigDecimal(2)).as("priced total").isEqualByComparingTo(expected);
                            assertThat(r.getBigDecimal(3)).as("hourly total").isEqualByComparingTo(expected);
                            assertThat(r.getBigDecimal(4)).as("daily total").isEqualByComparingTo(expected);
                        }
                    });
            log("warehouse: " + traffic.unique() + " priced rows, hourly and daily rollups all " + expected.toPlainString() + " USD");
        }
    }

    /** The expected request ids the warehouse lacks, a few of them, with what the stream priced them at. */
    private static String missingFromWarehouse(EmbeddedWarehouse warehouse, KnownTraffic traffic) {
        java.util.Set<String> present = new java.util.HashSet<>();
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select request_id from llm_usage_priced")) {
            while (r.next()) {
                present.add(r.getString(1));
            }
        } catch (java.sql.SQLException e) {
            return "warehouse unreadable: " + e.getMessage();
        }
        List<String> missing = traffic.expectedCost().keySet().stream().filter(id -> !present.contains(id)).limit(10).toList();
        return present.size() + " rows, missing e.g. " + missing;
    }

    /** What the sinks dead-lettered, with Connect's error headers. */
    private String sinkDeadLetters() {
        Map<String, Object> props = Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> found = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor("llm.sink.dlq.v1", Duration.ofSeconds(5)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (var r : consumer.poll(Duration.ofSeconds(3))) {
                var header = r.headers().lastHeader("__connect.errors.exception.message");
                found.add((r.key() == null ? "null" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)) + ": "
                        + (header == null ? "?" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8)));
            }
        } catch (RuntimeException e) {
            return "unreadable: " + e;
        }
        return found.size() + " records " + found.subList(0, Math.min(5, found.size()));
    }

    private ChildJvm startBroker(String name) throws Exception {
        ChildJvm child = ChildJvm.start(name, List.of("-Xmx512m"), BrokerProcess.class.getName(),
                List.of(dir.resolve("kafka").toString(), String.valueOf(brokerPort)), LOG_DIR.resolve(name + ".log"));
        children.add(child);
        await(name + " serving").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .failFast(name + " exited: " + child.logTail(20), () -> !child.isAlive())
                .ignoreExceptions()
                .until(() -> {
                    try (Admin admin = admin()) {
                        return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
                    }
                });
        log("started " + name + " (pid " + child.pid() + ") at " + bootstrap);
        return child;
    }

    private ChildJvm startApp(String name, Path stateDir) throws Exception {
        ChildJvm child = ChildJvm.start(name, List.of("-Xmx256m"), TokenLedger.class.getName(), List.of(
                "run",
                "--bootstrap-servers", bootstrap,
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
        log("started " + name + " (pid " + child.pid() + ")");
        return child;
    }

    /** Reads until the committed output stops growing: what the killed instances committed, all of it. */
    private static int drain(CommittedOutput output) {
        int seen = -1;
        while (seen != output.distinctPriced()) {
            seen = output.distinctPriced();
            output.poll(Duration.ofMillis(500));
        }
        return seen;
    }

    private static void sleepWhileAlive(ChildJvm app, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            if (!app.isAlive()) {
                throw new AssertionError(app.name() + " exited by itself: " + app.logTail(40));
            }
            Thread.sleep(50);
        }
    }

    private void wipe(Path state) throws IOException {
        if (Files.exists(state)) {
            try (Stream<Path> paths = Files.walk(state)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        log("wiped the state directory: the next instance restores every store from its changelog");
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
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
        System.out.printf("FaultSuiteIT +%6.1fs | %s%n", (System.nanoTime() - startedAt) / 1e9, message);
    }
}
