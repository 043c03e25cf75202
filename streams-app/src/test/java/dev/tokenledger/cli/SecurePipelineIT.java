package dev.tokenledger.cli;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.govern.BudgetCsv;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.runtime.TopicSetup;
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
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a secured cluster, every hop authenticated and encrypted with certificates made in the test:
 * {@code tokenledger run} (a child JVM, configured by a properties file as an operator would) reaches the broker
 * over SASL_SSL with SCRAM-SHA-512 and the schema registry over HTTPS with basic auth; the gateway producer is a
 * second SCRAM user; the Kafka Connect worker and its warehouse sinks use the broker's mTLS listener
 * ({@code ssl.client.auth=required}) and the same registry. The warehouse ends with the stream's exact totals,
 * {@code /budgets} answers the gateways' token only, and no credential appears in the application's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurePipelineIT {

    private static final Path LOG_DIR = Path.of("target", "secure-pipeline-it");
    private static final String SCRAM = "SCRAM-SHA-512";
    private static final String APP_PASSWORD = "app-scram-pw-4b1d";
    private static final String GATEWAY_PASSWORD = "gateway-scram-pw-77e0";
    private static final String REGISTRY_PASSWORD = "registry-basic-pw-c3a9";
    private static final String OPERATOR_TOKEN = "operator-token-52f8";
    private static final String GATEWAY_TOKEN = "gateway-token-0d6e";
    private static final List<String> SECRETS = List.of(APP_PASSWORD, GATEWAY_PASSWORD, REGISTRY_PASSWORD, OPERATOR_TOKEN,
            GATEWAY_TOKEN, TestCertificates.PASSWORD);
    private static final List<String> SINKS = List.of(SinkConnectorConfigs.ROLLUPS, SinkConnectorConfigs.PRICED_USAGE);
    private static final int UNIQUE = 240;

    private Path dir;
    private TestCertificates certificates;
    private EmbeddedKafkaBroker broker;
    private BasicAuthTlsRegistry registry;
    private EmbeddedWarehouse warehouse;
    private EmbeddedConnect connect;
    private ChildJvm app;
    private Topics topics;
    private int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        certificates = TestCertificates.create(dir.resolve("tls"));
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka"))
                .listener(new EmbeddedKafkaBroker.Listener("SASL_SSL", "SASL_SSL", Map.of(
                        "ssl.keystore.location", certificates.serverKeyStore().toString(),
                        "ssl.keystore.password", TestCertificates.PASSWORD,
                        "ssl.keystore.type", TestCertificates.TYPE,
                        "sasl.enabled.mechanisms", SCRAM,
                        "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")))
                .listener(new EmbeddedKafkaBroker.Listener("MTLS", "SSL", Map.of(
                        "ssl.keystore.location", certificates.serverKeyStore().toString(),
                        "ssl.keystore.password", TestCertificates.PASSWORD,
                        "ssl.keystore.type", TestCertificates.TYPE,
                        "ssl.truststore.location", certificates.trustStore().toString(),
                        "ssl.truststore.password", TestCertificates.PASSWORD,
                        "ssl.truststore.type", TestCertificates.TYPE,
                        "ssl.client.auth", "required")))
                .scramUser(SCRAM, "tokenledger", APP_PASSWORD)
                .scramUser(SCRAM, "gateway", GATEWAY_PASSWORD)
                .start();
        registry = BasicAuthTlsRegistry.start(certificates, "tokenledger", REGISTRY_PASSWORD, false);

        Map<String, String> appConfig = appConfig();
        TokenLedgerConfig config = TokenLedgerConfig.of(appConfig);
        topics = new Topics(config, SchemaRegistries.fromConfig(config.asMap()));
        try (Admin admin = Admin.create(scramClient("tokenledger", APP_PASSWORD))) {
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 2, (short) 1));
        }
        publishReferenceData();

        Path configFile = dir.resolve("secure.properties");
        Properties file = new Properties();
        file.putAll(appConfig);
        try (OutputStream out = Files.newOutputStream(configFile)) {
            file.store(out, "SecurePipelineIT");
        }
        httpPort = EmbeddedKafkaBroker.freePort();
        // Kafka's config dumps at INFO (the shipped logging keeps them at WARN): the log check below covers them too.
        List<String> jvm = List.of("-Xmx384m", "-Dlog4j2.configurationFile="
                + Path.of("src", "test", "resources", "log4j2-kafka-configs.xml").toAbsolutePath());
        app = ChildJvm.start("secure-run", jvm, TokenLedger.class.getName(), List.of("run",
                "--config", configFile.toString(), "--state-dir", dir.resolve("state").toString(),
                "--http-port", Integer.toString(httpPort), "--advertised-host", "127.0.0.1"), LOG_DIR.resolve("run.log"));

        warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
        connect = EmbeddedConnect.start(broker.bootstrapServers("MTLS"), dir.resolve("connect"), ConnectSecurity.worker(strings(mtlsClient("connect"))));
        for (String sink : SINKS) {
            Map<String, String> sinkConfig = new LinkedHashMap<>(SinkConnectorConfigs.sink(sink, warehouse, registry.url()));
            sinkConfig.putAll(ConnectSecurity.converterRegistry(registryClient()));
            connect.startConnector(sinkConfig);
        }
        for (String sink : SINKS) {
            connect.awaitRunning(sink, Duration.ofSeconds(60));
        }
        await("run RUNNING").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .failFast("run exited: " + app.logTail(40), () -> !app.isAlive())
                .until(() -> app.log().contains("Kafka Streams is RUNNING"));
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (connect != null) {
            connect.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldPriceSinkAndServeThroughTheSecuredClusterAndRegistry() throws Exception {
        Instant at = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
        try (UsageProducer gateway = new UsageProducer(scramClient("gateway", GATEWAY_PASSWORD), topics)) {
            for (int k = 0; k < UNIQUE; k++) {
                var call = event("secure-" + k, at).setInputTokens(1_000 + 7L * k).setOutputTokens(100).build();
                gateway.sendAvro(call);
                if (k % 20 == 0) {
                    gateway.sendAvro(call); // a gateway retry: absorbed by dedupe
                }
            }
            gateway.flush();
        }
        // $2.50 per 1M input and $10 per 1M output tokens: 0.0000025 * (240 * 1000 + 7 * (0 + … + 239)) + 240 * 0.001
        // = 0.0000025 * 440760 + 0.24 = 1.1019 + 0.24.
        String expectedTotal = "1.341900000000";

        OutputTally.Snapshot stream;
        try (OutputTally tally = new OutputTally(scramClient("tokenledger", APP_PASSWORD), topics, true)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .failFast("run exited: " + app.logTail(40), () -> !app.isAlive())
                    .until(() -> {
                        tally.poll(Duration.ofMillis(200));
                        OutputTally.Snapshot s = tally.snapshot();
                        return s.priced() == UNIQUE && s.tiesOut();
                    });
            stream = tally.snapshot();
        }
        assertThat(stream.pricedTotal().toPlainString()).isEqualTo(expectedTotal);
        assertThat(stream.unpriced()).isZero();
        assertThat(stream.deadLettered()).isZero();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(warehouseTotals()).as("connector states " + SINKS.stream().map(connect::state).toList())
                        .containsExactly(String.valueOf(UNIQUE), expectedTotal, expectedTotal, expectedTotal));

        // /budgets: the gateways' token reads it, nothing else does; /metrics wants the operator's token.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            HttpResponse<String> budgets = get("/budgets/team/search", GATEWAY_TOKEN);
            assertThat(budgets.statusCode()).as(budgets.body()).isEqualTo(200);
            JsonNode month = new ObjectMapper().readTree(budgets.body()).get("periods").get(0);
            assertThat(month.get("spend").asText()).isEqualTo(expectedTotal);
            assertThat(month.get("state").asText()).isEqualTo("hard");
        });
        assertThat(get("/budgets", GATEWAY_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/budgets", null).statusCode()).isEqualTo(401);
        assertThat(get("/budgets", "not-a-token").statusCode()).isEqualTo(401);
        assertThat(get("/metrics", GATEWAY_TOKEN).statusCode()).isEqualTo(403);
        assertThat(get("/metrics", OPERATOR_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);

        assertThat(registry.rejected()).as("registry requests without the right credentials").isZero();
        assertThat(registry.served()).isPositive();
        String log = app.log();
        assertThat(log).contains("application secure-pipeline-it on " + broker.bootstrapServers("SASL_SSL"))
                .contains("HTTP: bearer tokens (operator set, budgets set, /metrics operator token)")
                .contains("security.protocol = SASL_SSL").contains("sasl.jaas.config = [hidden]")
                .contains("ssl.truststore.password = [hidden]");
        for (String secret : SECRETS) {
            assertThat(log).as("run's log must not contain a credential").doesNotContain(secret);
        }
    }

    @Test
    void shouldTurnAwayClientsWithoutTheirCredentials() {
        Properties wrongPassword = scramClient("tokenledger", "not-the-password");
        assertThatThrownBy(() -> describeCluster(wrongPassword)).hasCauseInstanceOf(SaslAuthenticationException.class);

        Properties noCertificate = mtlsClient("connect");
        noCertificate.keySet().removeIf(key -> key.toString().startsWith("ssl.keystore") || key.toString().equals("ssl.key.password"));
        assertThatThrownBy(() -> describeCluster(noCertificate)).hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void shouldLoadReferenceDataOverMutualTlsAndTheSecuredRegistry() throws Exception {
        Path csv = dir.resolve("ownership.csv");
        Files.writeString(csv, "key_type,key,feature,team,cost_center,product_line,owner\n"
                + "feature,mtls-probe,mtls-probe,platform,CC-1,Core,Ops\n");
        Path mtlsConfig = dir.resolve("mtls.properties");
        Properties file = new Properties();
        file.putAll(mtlsClient("tokenledger-ops"));
        file.putAll(registryClient());
        try (OutputStream out = Files.newOutputStream(mtlsConfig)) {
            file.store(out, "load over mTLS");
        }
        long before = endOffset(topics.ownership.name());

        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = new picocli.CommandLine(new TokenLedger()).setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(err))
                .execute("load", "ownership", csv.toString(), "--config", mtlsConfig.toString());

        assertThat(exit).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("published 1 ownership rows to llm.ownership.v1");
        assertThat(endOffset(topics.ownership.name()) - before).isEqualTo(1);
    }

    private long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(mtlsClient("tokenledger-ops"))) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest())).all()
                    .get(30, TimeUnit.SECONDS).get(partition).offset();
        }
    }

    // --- configuration, as an operator writes it -------------------------------------------------------------

    private Map<String, String> appConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.putAll(strings(scramClient("tokenledger", APP_PASSWORD)));
        c.putAll(registryClient());
        c.put(TokenLedgerConfig.APPLICATION_ID, "secure-pipeline-it");
        c.put(TokenLedgerConfig.HTTP_TOKEN, OPERATOR_TOKEN);
        c.put(TokenLedgerConfig.HTTP_BUDGETS_TOKEN, GATEWAY_TOKEN);
        c.put(TokenLedgerConfig.HTTP_METRICS_OPEN, "false");
        c.put("replication.factor", "1");
        c.put("num.stream.threads", "1");
        c.put("commit.interval.ms", "200");
        c.put(TokenLedgerConfig.ROLLUP_EMIT_INTERVAL, "PT0.5S");
        c.put(TokenLedgerConfig.BUDGET_PARTITIONS, "1");
        c.put(TokenLedgerConfig.TASK_PARTITIONS, "1");
        return c;
    }

    /** A client of the SASL_SSL listener: SCRAM-SHA-512 as {@code user}, the broker's certificate checked against the test CA. */
    private Properties scramClient(String user, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers("SASL_SSL"));
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", SCRAM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.location", certificates.trustStore().toString());
        p.put("ssl.truststore.password", TestCertificates.PASSWORD);
        p.put("ssl.truststore.type", TestCertificates.TYPE);
        return p;
    }

    /** A client of the mTLS listener, presenting a certificate for {@code CN=<name>}. */
    private Properties mtlsClient(String name) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers("MTLS"));
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.location", certificates.trustStore().toString());
        p.put("ssl.truststore.password", TestCertificates.PASSWORD);
        p.put("ssl.truststore.type", TestCertificates.TYPE);
        p.put("ssl.keystore.location", certificates.clientKeyStore(name).toString());
        p.put("ssl.keystore.password", TestCertificates.PASSWORD);
        p.put("ssl.keystore.type", TestCertificates.TYPE);
        p.put("ssl.key.password", TestCertificates.PASSWORD);
        return p;
    }

    private Map<String, String> registryClient() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("schema.registry.url", registry.url());
        r.put("basic.auth.credentials.source", "USER_INFO");
        r.put("basic.auth.user.info", "tokenledger:" + REGISTRY_PASSWORD);
        r.put("schema.registry.ssl.truststore.location", certificates.trustStore().toString());
        r.put("schema.registry.ssl.truststore.password", TestCertificates.PASSWORD);
        r.put("schema.registry.ssl.truststore.type", TestCertificates.TYPE);
        return r;
    }

    private static Map<String, String> strings(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }

    private static void describeCluster(Properties client) throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e;
        }
    }

    // --- data ----------------------------------------------------------------------------------------------

    private void publishReferenceData() {
        Properties gateway = scramClient("tokenledger", APP_PASSWORD);
        PriceEntry gpt = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
        ReferenceDataPublisher.publish(gateway, topics.pricebook, List.of(KeyValue.pair(PriceBook.keyOf(gpt), gpt)));
        ReferenceDataPublisher.publish(gateway, topics.ownership,
                List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
        Budget team = Budget.newBuilder().setScopeType("team").setScopeId("search").setPeriod("monthly")
                .setAmountUsd(Money.parse("1.00").toBigDecimal()).setSoftPct(80).setHardPct(100).setAction("block")
                .setOwner("ana@example.com").setUpdatedAt(Instant.EPOCH).build();
        ReferenceDataPublisher.publish(gateway, topics.budgets, List.of(KeyValue.pair(BudgetCsv.recordKey(team), team)));
    }

    private List<String> warehouseTotals() throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("""
                     select (select count(*) from llm_usage_priced),
                            (select sum(cost_total) from llm_usage_priced),
                            (select sum(cost_total) from llm_rollups where granularity = 'daily'),
                            (select sum(cost_total) from llm_rollups where granularity = 'hourly')""")) {
            rows.next();
            List<String> totals = new ArrayList<>();
            totals.add(Long.toString(rows.getLong(1)));
            for (int i = 2; i <= 4; i++) {
                BigDecimal v = rows.getBigDecimal(i);
                totals.add(v == null ? "null" : v.toPlainString());
            }
            return totals;
        }
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
