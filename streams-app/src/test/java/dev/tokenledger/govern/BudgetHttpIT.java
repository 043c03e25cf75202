package dev.tokenledger.govern;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.http.HttpApi;
import dev.tokenledger.metrics.PipelineMetrics;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /budgets} on two application instances sharing the work on the real in-process broker:
 * each instance answers for every scope, forwarding to the owner the ones it does not hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetHttpIT {

    static final int CUSTOMERS = 12;
    static final String OVER_BUDGET = "c0";

    @TempDir
    static Path dir;

    EmbeddedKafkaBroker broker;
    Topics topics;
    final List<Instance> instances = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final Map<String, BigDecimal> expectedSpend = new HashMap<>();
    /** When the calls were made: their month is in the status keys. */
    Instant sentAt;

    record Instance(PipelineRunner runner, HttpApi api) {
        String address() {
            return "127.0.0.1:" + api.port();
        }
    }

    @BeforeAll
    void start() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        TokenLedgerConfig base = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.APPLICATION_ID, "budget-http-it",
                TokenLedgerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, "mem://budget-http-it",
                "replication.factor", "1",
                "num.stream.threads", "1",
                "commit.interval.ms", "100"));
        SchemaRegistry registry = SchemaRegistries.fromUrl("mem://budget-http-it");
        topics = new Topics(base, registry);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 4, (short) 1));
        }
        PriceEntry gpt4o = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.pricebook, List.of(KeyValue.pair(PriceBook.keyOf(gpt4o), gpt4o)));
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.ownership,
                List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
        List<KeyValue<String, Budget>> budgets = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String amount = ("c" + i).equals(OVER_BUDGET) ? "0.003" : "100";
            Budget b = GovernFixtures.budget("customer", "c" + i, "monthly", amount, 80, 100, "block");
            budgets.add(KeyValue.pair(BudgetCsv.recordKey(b), b));
        }
        ReferenceDataPublisher.publish(broker.bootstrapServers(), topics.budgets, budgets);

        for (String name : List.of("a", "b")) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            HttpApi api = HttpApi.start("127.0.0.1", 0, prometheus, () -> "RUNNING");
            TokenLedgerConfig config = base.with(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + api.port());
            PipelineRunner runner = PipelineRunner.start(config, registry, new PipelineMetrics(prometheus), dir.resolve("state-" + name));
            BudgetHttp.attach(api, runner.streams(), config);
            instances.add(new Instance(runner, api));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> instances.stream()
                .allMatch(i -> i.runner().state() == KafkaStreams.State.RUNNING));

        Instant now = Instant.now();
        sentAt = now;
        try (UsageProducer producer = new UsageProducer(broker.bootstrapServers(), topics)) {
            for (int i = 0; i < CUSTOMERS; i++) {
                for (int n = 0; n <= i % 4; n++) {
                    long input = 1_000L * (n + 1);
                    producer.sendAvro(event("http-" + i + "-" + n, now).setCustomerId("c" + i).setInputTokens(input).build());
                    // $2.50 per 1M input tokens, $10 per 1M output tokens, 100 output tokens per call.
                    BigDecimal cost = new BigDecimal("0.0000025").multiply(BigDecimal.valueOf(input)).add(new BigDecimal("0.001"));
                    expectedSpend.merge("c" + i, cost, BigDecimal::add);
                }
            }
            producer.flush();
        }
    }

    @AfterAll
    void stop() {
        instances.forEach(i -> {
            i.api().close();
            i.runner().close();
        });
        if (broker != null) {
            broker.close();
        }
    }

    JsonNode get(Instance instance, String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + instance.address() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " on " + instance.address() + ": " + response.body()).isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

    BigDecimal monthlySpend(JsonNode scope) {
        return new BigDecimal(scope.get("periods").get(0).get("spend").asText());
    }

    @Test
    void shouldAnswerForEveryScopeOnEveryInstanceForwardingToItsOwner() throws Exception {
        Instance a = instances.get(0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (int i = 0; i < CUSTOMERS; i++) {
                assertThat(monthlySpend(get(a, "/budgets/customer/c" + i, 200))).as("c" + i)
                        .isEqualByComparingTo(expectedSpend.get("c" + i));
            }
        });

        Map<String, Set<String>> forwardedBy = new HashMap<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            JsonNode fromA = get(instances.get(0), "/budgets/customer/c" + i, 200);
            JsonNode fromB = get(instances.get(1), "/budgets/customer/c" + i, 200);
            String owner = fromA.get("served_by").asText();
            assertThat(fromB.get("served_by").asText()).isEqualTo(owner);
            assertThat(fromB.get("periods")).isEqualTo(fromA.get("periods"));
            for (Instance asked : instances) {
                if (!asked.address().equals(owner)) {
                    forwardedBy.computeIfAbsent(asked.address(), k -> new HashSet<>()).add("c" + i);
                }
            }
            JsonNode month = fromA.get("periods").get(0);
            assertThat(month.get("period").asText()).isEqualTo("monthly");
            assertThat(new BigDecimal(month.get("spend").asText())).isEqualByComparingTo(expectedSpend.get("c" + i));
            assertThat(month.get("budget").asText()).isEqualTo(("c" + i).equals(OVER_BUDGET) ? "0.003000000000" : "100.000000000000");
        }
        // Both instances own some scopes and answered for some they do not own.
        assertThat(forwardedBy).containsOnlyKeys(instances.get(0).address(), instances.get(1).address());

        JsonNode over = get(instances.get(1), "/budgets/customer/" + OVER_BUDGET, 200).get("periods").get(0);
        assertThat(over.get("state").asText()).isEqualTo("hard");
        assertThat(over.get("action").asText()).isEqualTo("block");
        assertThat(over.get("alerts_raised")).extracting(JsonNode::asText).contains("soft", "hard");
    }

    @Test
    void shouldListEveryBudgetOnceFromWhicheverInstanceIsAsked() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (Instance asked : instances) {
                JsonNode all = get(asked, "/budgets", 200);
                Map<String, BigDecimal> spendByCustomer = new HashMap<>();
                for (JsonNode line : all.get("budgets")) {
                    assertThat(spendByCustomer.put(line.get("scope_id").asText(), new BigDecimal(line.get("spend").asText())))
                            .as("listed twice: " + line).isNull();
                }
                assertThat(spendByCustomer).hasSize(CUSTOMERS);
                expectedSpend.forEach((customer, spend) -> assertThat(spendByCustomer.get(customer)).as(customer)
                        .isEqualByComparingTo(spend));
                assertThat(all.get("instances")).hasSize(2);
            }
        });
    }

    @Test
    void shouldAnswerNotFoundForWhatHasNeitherBudgetNorSpend() throws Exception {
        assertThat(get(instances.get(0), "/budgets/customer/nobody", 404).get("error").asText()).contains("customer:nobody");
        assertThat(get(instances.get(1), "/budgets/galaxy/x", 404).get("error").asText()).contains("unknown scope type");
        get(instances.get(1), "/budgets/customer", 404);
    }

    @Test
    void shouldPublishEachBreachOnceAndTheStatusTheGatewayActsOn() {
        Map<String, List<BudgetAlert>> alerts = new HashMap<>();
        Map<String, BudgetStatus> statuses = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.budgetAlerts.name(), topics.budgetStatus.name())) {
                c.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (r.topic().equals(topics.budgetAlerts.name())) {
                        alerts.computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(topics.budgetAlerts.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } else {
                        statuses.put(r.key(), topics.budgetStatus.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    }
                }
                assertThat(statuses).hasSize(CUSTOMERS);
                assertThat(alerts.get("customer:" + OVER_BUDGET + ":monthly")).extracting(BudgetAlert::getKind)
                        .containsExactly("soft", "hard");
            });
        }
        assertThat(alerts).containsOnlyKeys("customer:" + OVER_BUDGET + ":monthly");
        String month = Instant.ofEpochMilli(Period.MONTHLY.start(sentAt.toEpochMilli())).toString().substring(0, 10);
        BudgetStatus over = statuses.get("customer:" + OVER_BUDGET + ":monthly:" + month);
        assertThat(over.getState()).isEqualTo("hard");
        assertThat(over.getAction()).isEqualTo("block");
        assertThat(statuses.values()).filteredOn(s -> !s.getScopeId().equals(OVER_BUDGET))
                .allSatisfy(s -> assertThat(s.getState()).isEqualTo("ok"));
    }
}
