package dev.tokenledger.cli;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.govern.BudgetCsv;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.runtime.TopicSetup;
import dev.tokenledger.testing.BrokerProcess;
import dev.tokenledger.testing.ChildJvm;
import dev.tokenledger.tls.BasicAuthTlsRegistry;
import dev.tokenledger.tls.TestCertificates;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.warehouse.ConnectSecurity;
import dev.tokenledger.warehouse.EmbeddedConnect;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster shape, each part in its own process or its own role: the broker in a child JVM, two
 * {@code tokenledger run} instances in child JVMs (one application id, a state directory and HTTP port each, HTTP
 * behind tokens), the schema registry over HTTPS with basic auth, and a distributed Kafka Connect worker (configs,
 * offsets and statuses in Kafka topics) sinking to PostgreSQL. The work splits over both instances; one instance
 * is stopped (SIGTERM) and started again on its state directory while traffic flows, and afterwards the warehouse
 * holds exactly one row per valid unique event and the hand-computed total, to the last digit; {@code /budgets}
 * answers the same from either instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterModeIT {

    private static final Path LOG_DIR = Path.of("target", "cluster-mode-it");
    private static final String APPLICATION = "cluster-mode-it";
    private static final String GATEWAY_TOKEN = "cluster-gateway-token";
    private static final String REGISTRY_PASSWORD = "cluster-registry-pw";
    private static final int PER_PHASE = 600;
    private static final int PHASES = 3;
    private static final int BAD_LINES = 9;
    private static final List<String> SINKS = List.of(SinkConnectorConfigs.ROLLUPS, SinkConnectorConfigs.PRICED_USAGE);

    private Path dir;
    private final List<ChildJvm> children = new ArrayList<>();
    private String bootstrap;
    private TestCertificates certificates;
    private BasicAuthTlsRegistry registry;
    private EmbeddedWarehouse warehouse;
    private EmbeddedConnect connect;
    private Topics topics;
    private Path configFile;
    private final int[] httpPorts = new int[2];
    private final ChildJvm[] instances = new ChildJvm[2];
    private final HttpClient http = HttpClient.newHttpClient();
    private int starts;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        int brokerPort = EmbeddedKafkaBroker.freePort();
        bootstrap = "127.0.0.1:" + brokerPort;
        ChildJvm broker = ChildJvm.start("broker", List.of("-Xmx384m"), BrokerProcess.class.getName(),
                List.of(dir.resolve("kafka").toString(), String.valueOf(brokerPort)), LOG_DIR.resolve("broker.log"));
        children.add(broker);
        certificates = TestCertificates.create(dir.resolve("tls"));
        registry = BasicAuthTlsRegistry.start(certificates, "tokenledger", REGISTRY_PASSWORD, false);
        await("broker serving").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .failFast("broker exited: " + broker.logTail(20), () -> !broker.isAlive())
                .until(() -> broker.log().contains("broker ready at " + bootstrap));

        Map<String, String> config = appConfig();
        topics = new Topics(TokenLedgerConfig.of(config), SchemaRegistries.fromConfig(config));
        try (Admin admin = admin()) {
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 4, (short) 1));
        }
        publishReferenceData();
        configFile = dir.resolve("cluster.properties");
        Properties file = new Properties();
        file.putAll(config);
        try (OutputStream out = Files.newOutputStream(configFile)) {
            file.store(out, "ClusterModeIT");
        }

        warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
        connect = EmbeddedConnect.startDistributed(bootstrap, "cluster-mode-it-connect", Map.of());
        for (String sink : SINKS) {
            Map<String, String> sinkConfig = new LinkedHashMap<>(SinkConnectorConfigs.sink(sink, warehouse, registry.url()));
            sinkConfig.putAll(ConnectSecurity.converterRegistry(registryClient()));
            connect.startConnector(sinkConfig);
        }

        for (int i = 0; i < 2; i++) {
            httpPorts[i] = EmbeddedKafkaBroker.freePort();
            instances[i] = startInstance(i);
        }
        for (int i = 0; i < 2; i++) {
            awaitRunning(instances[i]);
        }
        for (String sink : SINKS) {
            connect.awaitRunning(sink, Duration.ofSeconds(60));
        }
    }

    @AfterAll
    void stop() throws Exception {
        // The instances, then the Connect worker, then the broker (the first child started): a worker whose broker
        // is gone spends its close timeouts waiting for it.
        ChildJvm broker = children.remove(children.size() - 1);
        for (ChildJvm child : children) {
            child.close();
        }
        if (connect != null) {
            connect.close();
        }
        broker.close();
        if (warehouse != null) {
            warehouse.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldSplitTheWorkSurviveARollingRestartAndAnswerBudgetsFromEitherInstance() throws Exception {
        long started = System.nanoTime();
        awaitBothInstancesHoldPartitions();
        Instant at = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);

        try (UsageProducer gateway = new UsageProducer(plainClient(), topics)) {
            send(gateway, 0, at);
            // Rolling restart of instance 0 while traffic flows: a clean close (SIGTERM), the other instance takes
            // its tasks, then it comes back on the same state directory and takes some back.
            instances[0].terminate();
            send(gateway, 1, at);
            OptionalInt exit = instances[0].awaitExit(Duration.ofSeconds(60));
            assertThat(exit).as(instances[0].logTail(30)).hasValue(0);
            assertThat(instances[0].log()).contains("Kafka Streams closed cleanly");
            instances[0] = startInstance(0);
            awaitRunning(instances[0]);
            send(gateway, 2, at);
            for (int i = 0; i < BAD_LINES; i++) {
                gateway.sendJson("bad-" + i, "{\"request_id\":".getBytes(StandardCharsets.UTF_8));
            }
            gateway.flush();
        }
        awaitBothInstancesHoldPartitions();

        // $2.50 per 1M input and $10 per 1M output tokens, event k with 1000 + 7k input and 100 output tokens, k < 1800:
        // 0.0000025 * (1800 * 1000 + 7 * (0 + … + 1799)) + 1800 * 0.001 = 0.0000025 * 13133700 + 1.8 = 32.83425 + 1.8.
        String expectedTotal = "34.634250000000";
        int unique = PER_PHASE * PHASES;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(warehouseTotals()).as("connectors " + SINKS.stream().map(connect::state).toList())
                        .containsExactly(String.valueOf(unique), String.valueOf(unique), expectedTotal, expectedTotal, expectedTotal));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonNode fromFirst = budgets(0, "/budgets/team/search");
            JsonNode fromSecond = budgets(1, "/budgets/team/search");
            assertThat(fromFirst.get("periods").get(0).get("spend").asText()).isEqualTo(expectedTotal);
            assertThat(fromSecond.get("periods")).isEqualTo(fromFirst.get("periods"));
            assertThat(fromSecond.get("served_by").asText()).isEqualTo(fromFirst.get("served_by").asText());
            JsonNode allFromFirst = budgets(0, "/budgets");
            JsonNode allFromSecond = budgets(1, "/budgets");
            assertThat(allFromSecond.get("budgets")).isEqualTo(allFromFirst.get("budgets"));
            assertThat(allFromFirst.get("instances")).hasSize(2);
            assertThat(allFromFirst.get("budgets").get(0).get("spend").asText()).isEqualTo(expectedTotal);
        });
        System.out.printf("ClusterModeIT: %d unique events (%d resent, %d bad) through 2 instances and a rolling restart, "
                        + "warehouse total %s, in %d s%n", unique, unique / 25, BAD_LINES, expectedTotal,
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    // --- traffic -------------------------------------------------------------------------------------------

    /** Phase {@code p}: events {@code p*600 … p*600+599}, every 25th sent twice (a gateway retry). */
    private static void send(UsageProducer gateway, int phase, Instant at) {
        for (int k = phase * PER_PHASE; k < (phase + 1) * PER_PHASE; k++) {
            UsageEvent call = event("cluster-" + k, at.plusMillis(k)).setInputTokens(1_000 + 7L * k).setOutputTokens(100).build();
            gateway.sendAvro(call);
            if (k % 25 == 0) {
                gateway.sendAvro(call);
            }
        }
        gateway.flush();
    }

    private void publishReferenceData() {
        Properties client = plainClient();
        PriceEntry gpt = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
        ReferenceDataPublisher.publish(client, topics.pricebook, List.of(KeyValue.pair(PriceBook.keyOf(gpt), gpt)));
        ReferenceDataPublisher.publish(client, topics.ownership,
                List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
        Budget team = Budget.newBuilder().setScopeType("team").setScopeId("search").setPeriod("monthly")
                .setAmountUsd(Money.parse("1000").toBigDecimal()).setSoftPct(80).setHardPct(100).setAction("alert")
                .setOwner("ana@example.com").setUpdatedAt(Instant.EPOCH).build();
        ReferenceDataPublisher.publish(client, topics.budgets, List.of(KeyValue.pair(BudgetCsv.recordKey(team), team)));
    }

    // --- the instances -------------------------------------------------------------------------------------

    private Map<String, String> appConfig() {
        Map<String, String> c = new LinkedHashMap<>(registryClient());
        c.put(TokenLedgerConfig.BOOTSTRAP_SERVERS, bootstrap);
        c.put(TokenLedgerConfig.APPLICATION_ID, APPLICATION);
        c.put(TokenLedgerConfig.HTTP_BUDGETS_TOKEN, GATEWAY_TOKEN);
        c.put("replication.factor", "1");
        c.put("num.stream.threads", "1");
        c.put("commit.interval.ms", "200");
        c.put(TokenLedgerConfig.ROLLUP_EMIT_INTERVAL, "PT0.5S");
        c.put(TokenLedgerConfig.BUDGET_PARTITIONS, "2");
        c.put(TokenLedgerConfig.TASK_PARTITIONS, "2");
        return c;
    }

    private Map<String, String> registryClient() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("schema.registry.url", registry.url());
        r.put("basic.auth.credentials.source", "USER_INFO");
        r.put("basic.auth.user.info", "tokenledger:" + REGISTRY_PASSWORD);
        r.put("schema.registry.ssl.truststore.location", certificates.trustStore().toString());
        r.put("schema.registry.ssl.truststore.password", TestCertificates.PASSWORD);
        return r;
    }

    private ChildJvm startInstance(int i) throws Exception {
        String name = "run-" + i + "-start-" + ++starts;
        ChildJvm child = ChildJvm.start(name, List.of("-Xmx384m"), TokenLedger.class.getName(), List.of("run",
                "--config", configFile.toString(), "--state-dir", dir.resolve("state-" + i).toString(),
                "--http-port", Integer.toString(httpPorts[i]), "--advertised-host", "127.0.0.1"), LOG_DIR.resolve(name + ".log"));
        children.add(0, child);
        return child;
    }

    private static void awaitRunning(ChildJvm instance) {
        await(instance.name() + " RUNNING").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .failFast(instance.name() + " exited: " + instance.logTail(40), () -> !instance.isAlive())
                .until(() -> instance.log().contains("Kafka Streams is RUNNING"));
    }

    /** Both members of the application's group hold input partitions (read from the broker's group metadata). */
    private void awaitBothInstancesHoldPartitions() {
        await("both instances assigned").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Admin admin = admin()) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION)).all()
                        .get(10, TimeUnit.SECONDS).get(APPLICATION);
                assertThat(group.members()).as(group.toString()).hasSize(2);
                for (MemberDescription member : group.members()) {
                    assertThat(member.assignment().topicPartitions()).as(member.toString())
                            .anyMatch(tp -> tp.topic().equals(topics.usageAvro.name()));
                }
            }
        });
    }

    private JsonNode budgets(int instance, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[instance] + path))
                .header("Authorization", "Bearer " + GATEWAY_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " on instance " + instance + ": " + response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private Properties plainClient() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private Admin admin() {
        return Admin.create(plainClient());
    }

    /** Rows and distinct request ids of the priced table, its sum, and the daily and hourly rollup sums. */
    private List<String> warehouseTotals() throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("""
                     select (select count(*) from llm_usage_priced),
                            (select count(distinct request_id) from llm_usage_priced),
                            (select sum(cost_total) from llm_usage_priced),
                            (select sum(cost_total) from llm_rollups where granularity = 'daily'),
                            (select sum(cost_total) from llm_rollups where granularity = 'hourly')""")) {
            rows.next();
            List<String> totals = new ArrayList<>(List.of(Long.toString(rows.getLong(1)), Long.toString(rows.getLong(2))));
            for (int i = 3; i <= 5; i++) {
                BigDecimal v = rows.getBigDecimal(i);
                totals.add(v == null ? "null" : v.toPlainString());
            }
            return totals;
        }
    }
}
