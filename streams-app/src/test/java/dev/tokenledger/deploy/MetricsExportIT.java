package dev.tokenledger.deploy;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.govern.BudgetCsv;
import dev.tokenledger.http.HttpApi;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.runtime.TopicSetup;
import dev.tokenledger.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running application's {@code /metrics}, scraped after a few calls on the real in-process broker:
 * the business metrics carry the hand-computed figures, and every metric the Grafana dashboard and the
 * Prometheus rules name is one the application exports (a renamed metric would otherwise leave a
 * panel empty and an alert silent).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsExportIT {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path DASHBOARD = REPO.resolve("deploy/observability/grafana/tokenledger.json");
    static final Path RULES = REPO.resolve("deploy/observability/prometheus/tokenledger-rules.yaml");

    /** The last scrape, for whoever reads a failure. */
    static final Path SCRAPE = Path.of("target", "metrics-export-it.prom");

    @TempDir
    static Path dir;

    EmbeddedKafkaBroker broker;
    PipelineRunner runner;
    HttpApi api;
    String scrape;

    @BeforeAll
    void runThePipelineOnAFewCalls() throws Exception {
        Files.createDirectories(SCRAPE.getParent());
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.APPLICATION_ID, "metrics-export-it",
                TokenLedgerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, "mem://metrics-export-it",
                "replication.factor", "1",
                "num.stream.threads", "1",
                "commit.interval.ms", "100",
                TokenLedgerConfig.BUDGET_PARTITIONS, "1",
                TokenLedgerConfig.TASK_PARTITIONS, "1"));
        SchemaRegistry registry = SchemaRegistries.fromUrl("mem://metrics-export-it");
        Topics topics = new Topics(config, registry);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 1, (short) 1));
        }
        PriceEntry gpt4o = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.pricebook, List.of(KeyValue.pair(PriceBook.keyOf(gpt4o), gpt4o)));
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.ownership,
                List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
        Budget searchMonthly = Budget.newBuilder().setScopeType("team").setScopeId("search").setPeriod("monthly")
                .setAmountUsd(Money.parse("0.001").toBigDecimal()).setSoftPct(80).setHardPct(100).setAction("block")
                .setOwner("ana@example.com").setUpdatedAt(Instant.EPOCH).build();
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.budgets,
                List.of(KeyValue.pair(BudgetCsv.recordKey(searchMonthly), searchMonthly)));

        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        runner = PipelineRunner.start(config, registry, new PipelineMetrics(prometheus), dir.resolve("state"));
        api = HttpApi.start("127.0.0.1", 0, prometheus, () -> runner.state().name());
        await().atMost(Duration.ofSeconds(120)).until(() -> runner.state() == KafkaStreams.State.RUNNING);

        Instant now = Instant.now();
        try (UsageProducer producer = new UsageProducer(broker.bootstrapServers(), topics)) {
            // $2.50 per 1M input and $10 per 1M output tokens: 1,000 in + 100 out = $0.0035 a call.
            for (int i = 0; i < 3; i++) {
                producer.sendAvro(event("tagged-" + i, now).build());
            }
            // No ownership row for the feature: the unallocated bucket, 2,000 in + 100 out = $0.006.
            producer.sendAvro(event("untagged", now).setFeature("unregistered").setInputTokens(2_000).build());
            producer.sendAvro(event("unpriced", now).setRequestModel("gpt-unknown").build());
            producer.sendJson("broken", "{\"request_id\": ".getBytes(StandardCharsets.UTF_8));
            producer.flush();
        }
        // The stream threads' per-partition lag appears once Micrometer's Kafka binder rescans (every minute).
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            scrape = get("/metrics");
            Files.writeString(SCRAPE, scrape);
            return sample(scrape, "tokenledger_budgets", Map.of("period", "monthly", "state", "hard")) == 1
                    && sample(scrape, "tokenledger_dlq_records_total", Map.of()) == 1
                    && sample(scrape, "tokenledger_events_attributed_total", Map.of()) == 5
                    && scrape.lines().anyMatch(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{")
                            && l.matches(".*client_id=\"[^\"]*-StreamThread-[0-9]+-consumer\".*"));
        });
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
        if (runner != null) {
            runner.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldExportSpendByTeamAndFeatureUnpricedCallsAndBudgetStates() {
        assertThat(sample(scrape, "tokenledger_spend_usd_total", Map.of("team", "search", "feature", "semantic-search", "attribution", "tagged")))
                .isEqualTo(0.0105);
        assertThat(sample(scrape, "tokenledger_spend_usd_total", Map.of("team", "unallocated", "attribution", "default")))
                .isEqualTo(0.006);
        assertThat(sample(scrape, "tokenledger_events_unpriced_total", Map.of("provider", "openai", "model", "gpt-unknown"))).isEqualTo(1);
        assertThat(sample(scrape, "tokenledger_events_priced_total", Map.of())).isEqualTo(4);
        assertThat(sample(scrape, "tokenledger_budgets", Map.of("state", "ok"))).isZero();
        assertThat(sample(scrape, "tokenledger_anomalies_open", Map.of())).isZero();
        assertThat(sample(scrape, "tokenledger_stream_thread_failures_total", Map.of())).isZero();
    }

    @Test
    void shouldExportEveryMetricTheDashboardAndTheRulesName() throws Exception {
        Set<String> exported = exportedNames(scrape);
        Map<String, Set<String>> named = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String expr : dashboardExpressions(json.readTree(DASHBOARD.toFile()))) {
            named.put("dashboard: " + expr, PromQlNames.metricNames(expr));
        }
        for (JsonNode group : new YAMLMapper().readTree(RULES.toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                named.put("rule " + rule.get("alert").asText() + ": " + rule.get("expr").asText(),
                        PromQlNames.metricNames(rule.get("expr").asText()));
            }
        }
        assertThat(named).as("expressions found").hasSizeGreaterThan(10);
        Map<String, Set<String>> missing = new TreeMap<>();
        named.forEach((where, names) -> {
            assertThat(names).as("no metric in " + where).isNotEmpty();
            Set<String> absent = new TreeSet<>(names);
            absent.removeAll(exported);
            if (!absent.isEmpty()) {
                missing.put(where, absent);
            }
        });
        assertThat(missing).as("metrics named but not exported (scrape in target/metrics-export-it.prom)").isEmpty();
    }

    /** Every {@code expr} of the panels' targets and every query of the template variables. */
    static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.get("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            if (variable.path("type").asText().equals("query")) {
                out.add(query.isObject() ? query.get("query").asText() : query.asText());
            }
        }
        return out;
    }

    /** The names of the scrape's samples ({@code _total}, {@code _count} and such included). */
    static Set<String> exportedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** The sum of a metric's samples whose labels include {@code labels}. */
    static double sample(String scrape, String name, Map<String, String> labels) {
        BigDecimal sum = BigDecimal.ZERO;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean matches = labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
                String value = line.substring(line.lastIndexOf(' ') + 1);
                if (matches && !value.equals("NaN")) {
                    sum = sum.add(new BigDecimal(value));
                }
            }
        }
        return sum.doubleValue();
    }

    String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
