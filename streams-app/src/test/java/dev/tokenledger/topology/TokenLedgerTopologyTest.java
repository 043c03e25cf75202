package dev.tokenledger.topology;

import static dev.tokenledger.testing.TestEvents.apiKey;
import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TopologyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenLedgerTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-02T10:05:00Z");

    @TempDir
    Path stateDir;

    SchemaRegistry registry;
    TokenLedgerConfig config;
    PipelineMetrics metrics;
    Topics topics;
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> usageAvro;
    TestInputTopic<byte[], byte[]> usageJson;
    TestInputTopic<String, PriceEntry> pricebook;
    TestInputTopic<String, Ownership> ownership;
    TestOutputTopic<String, PricedUsage> priced;
    TestOutputTopic<String, Rollup> rollups;
    TestOutputTopic<String, DeadLetter> dlq;

    @BeforeEach
    void setUp() {
        String url = "mem://topology-test-" + UUID.randomUUID();
        registry = SchemaRegistries.fromUrl(url);
        config = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
                TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092",
                TokenLedgerConfig.MAX_EVENT_AGE, "P2D"));
        metrics = PipelineMetrics.inMemory();
        Topology topology = new TokenLedgerTopology(config, registry, PriceBook.empty(), metrics).build();
        driver = new TopologyTestDriver(topology, PipelineRunner.streamsProperties(config, stateDir), T0.plus(Duration.ofHours(8)));
        topics = new Topics(config, registry);
        usageAvro = driver.createInputTopic(topics.usageAvro.name(), new ByteArraySerializer(), new ByteArraySerializer());
        usageJson = driver.createInputTopic(topics.usageJson.name(), new ByteArraySerializer(), new ByteArraySerializer());
        pricebook = driver.createInputTopic(topics.pricebook.name(), new StringSerializer(), topics.pricebook.valueSerde().serializer());
        ownership = driver.createInputTopic(topics.ownership.name(), new StringSerializer(), topics.ownership.valueSerde().serializer());
        priced = driver.createOutputTopic(topics.priced.name(), new StringDeserializer(), topics.priced.valueSerde().deserializer());
        rollups = driver.createOutputTopic(topics.rollups.name(), new StringDeserializer(), topics.rollups.valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.dlq.name(), new StringDeserializer(), topics.dlq.valueSerde().deserializer());

        pricebook.pipeInput(PriceBook.keyOf(gpt4o()), gpt4o());
        ownership.pipeInput("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"));
        ownership.pipeInput("feature:unallocated", feature("unallocated", "platform", "platform-lead@example.com"));
        ownership.pipeInput("api_key:key-support", apiKey("key-support", "support-copilot", "support", "bo@example.com"));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    static PriceEntry gpt4o() {
        // OpenAI's published gpt-4o price: $2.50 per 1M input tokens, $10.00 per 1M output tokens.
        return price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
    }

    void send(UsageEvent e) {
        byte[] value = topics.avro(UsageEvent.class).serializer().serialize(topics.usageAvro.name(), e);
        usageAvro.pipeInput(e.getRequestId().getBytes(StandardCharsets.UTF_8), value, e.getTimestamp());
    }

    void sendJson(String key, String json) {
        usageJson.pipeInput(key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    Map<String, Rollup> emitRollups() {
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        Map<String, Rollup> latest = new HashMap<>();
        for (KeyValue<String, Rollup> kv : rollups.readKeyValuesToList()) {
            latest.put(kv.key, kv.value);
        }
        return latest;
    }

    @Test
    void shouldPriceAttributeAndRollUpAnAvroEvent() {
        send(event("r-1", T0).build());

        PricedUsage p = priced.readValue();
        // 1,000 input x $2.50/M = $0.0025; 100 output x $10/M = $0.001
        assertThat(p.getCost().getUncachedInput()).isEqualByComparingTo("0.0025");
        assertThat(p.getCost().getOutput()).isEqualByComparingTo("0.001");
        assertThat(p.getCost().getTotal()).isEqualTo(new BigDecimal("0.003500000000"));
        assertThat(p.getAttribution().getTeam()).isEqualTo("search");
        assertThat(p.getAttribution().getMethod()).isEqualTo("tagged");
        assertThat(p.getAttribution().getOwner()).isEqualTo("ana@example.com");
        assertThat(p.getPrice().getModel()).isEqualTo("gpt-4o");

        Map<String, Rollup> out = emitRollups();
        assertThat(out).containsOnlyKeys(
                "hourly|2026-11-02T10:00:00Z|search|semantic-search|acme|production|openai|gpt-4o",
                "daily|2026-11-02T00:00:00Z|search|semantic-search|acme|production|openai|gpt-4o");
        Rollup hourly = out.get("hourly|2026-11-02T10:00:00Z|search|semantic-search|acme|production|openai|gpt-4o");
        assertThat(hourly.getRequests()).isEqualTo(1);
        assertThat(hourly.getInputTokens()).isEqualTo(1_000);
        assertThat(hourly.getCost().getTotal()).isEqualByComparingTo("0.0035");
        assertThat(hourly.getWindowEnd()).isEqualTo(Instant.parse("2026-11-02T11:00:00Z"));
    }

    @Test
    void shouldAbsorbDuplicateRequestIds() {
        UsageEvent e = event("r-dup", T0).build();
        send(e);
        send(e);
        sendJson("anything", "{\"request_id\":\"r-dup\",\"timestamp\":\"2026-11-02T10:05:00Z\",\"provider\":\"openai\","
                + "\"request_model\":\"gpt-4o\",\"input_tokens\":1000,\"output_tokens\":100}");

        assertThat(priced.readValuesToList()).hasSize(1);
        assertThat(metrics.count("tokenledger.duplicates.absorbed")).isEqualTo(2.0);
        assertThat(emitRollups().values()).allSatisfy(r -> assertThat(r.getRequests()).isEqualTo(1));
    }

    @Test
    void shouldSendBadInputToTheDlqWithAReasonAndKeepGoing() {
        usageAvro.pipeInput("k1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 42, 1, 2, 3});
        usageAvro.pipeInput("k2".getBytes(StandardCharsets.UTF_8), "not avro at all".getBytes(StandardCharsets.UTF_8));
        sendJson("k3", "{\"request_id\":\"r-bad\",\"timestamp\":\"2026-11-02T10:05:00Z\",\"provider\":\"openai\","
                + "\"request_model\":\"gpt-4o\",\"input_tokens\":100,\"cache_read_input_tokens\":500}");
        sendJson("k4", "{ this is not json");
        send(event("r-good", T0).build());

        List<DeadLetter> dead = dlq.readValuesToList();
        assertThat(dead).extracting(DeadLetter::getReason)
                .containsExactly("undecodable", "undecodable", "subset_exceeds_total", "undecodable");
        assertThat(dead.get(2).getField()).isEqualTo("cache_read_input_tokens");
        assertThat(dead.get(2).getSourceTopic()).isEqualTo("llm.usage.json.v1");
        assertThat(StandardCharsets.UTF_8.decode(dead.get(1).getOriginalValue()).toString()).isEqualTo("not avro at all");
        assertThat(priced.readValuesToList()).extracting(p -> p.getEvent().getRequestId()).containsExactly("r-good");
        assertThat(metrics.count("tokenledger.dlq.records", "reason", "undecodable")).isEqualTo(3.0);
    }

    @Test
    void shouldRejectTimestampsFarInTheFuture() {
        send(event("r-future", Instant.parse("2027-01-01T00:00:00Z")).build());

        assertThat(dlq.readValue().getReason()).isEqualTo("future_timestamp");
        assertThat(priced.isEmpty()).isTrue();
    }

    @Test
    void shouldPriceEachEventWithThePriceInForceAtItsOwnTime() {
        Instant change = Instant.parse("2026-11-02T10:30:00Z");
        PriceEntry cheaper = price("openai", "gpt-4o", change, "1.25", "5.00");
        pricebook.pipeInput(PriceBook.keyOf(cheaper), cheaper);

        send(event("before", change.minusMillis(1)).build());
        send(event("after", change).build());
        // Arrives late, but its event time is before the change: old price.
        send(event("late-before", Instant.parse("2026-11-02T10:10:00Z")).build());

        Map<String, BigDecimal> totals = new HashMap<>();
        priced.readValuesToList().forEach(p -> totals.put(p.getEvent().getRequestId(), p.getCost().getTotal()));
        assertThat(totals.get("before")).isEqualByComparingTo("0.0035");
        assertThat(totals.get("after")).isEqualByComparingTo("0.00175");
        assertThat(totals.get("late-before")).isEqualByComparingTo("0.0035");
    }

    @Test
    void shouldIgnoreAnInvalidPriceVersionAndKeepPricingWithTheOneInForce() {
        PriceEntry negative = price("openai", "gpt-4o", T0.minus(Duration.ofHours(1)), "-1.00", "10.00");
        pricebook.pipeInput(PriceBook.keyOf(negative), negative);

        send(event("after-bad-price", T0).build());

        assertThat(priced.readValue().getCost().getTotal()).isEqualByComparingTo("0.0035");
        assertThat(metrics.count("tokenledger.reference.rejected", "topic", topics.pricebook.name(), "reason", "negative_rate"))
                .isEqualTo(1.0);
        assertThat(PipelineMetrics.referenceRejected(metrics.registry())).isEqualTo(1);
    }

    @Test
    void shouldCountReferenceRecordsWithoutAKey() {
        ownership.pipeInput(null, feature("orphan", "nobody", "x@example.com"));

        assertThat(metrics.count("tokenledger.reference.rejected", "topic", topics.ownership.name(), "reason", "null_key"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldAttributeByApiKeyThenToTheUnallocatedBucket() {
        send(event("by-key", T0).setTeam(null).setFeature(null).setApiKeyId("key-support").build());
        send(event("unknown-key", T0).setTeam(null).setFeature(null).setApiKeyId("key-nobody").build());
        send(event("unknown-feature", T0).setFeature("not-registered").build());

        Map<String, PricedUsage> byId = new HashMap<>();
        priced.readValuesToList().forEach(p -> byId.put(p.getEvent().getRequestId(), p));
        assertThat(byId.get("by-key").getAttribution().getTeam()).isEqualTo("support");
        assertThat(byId.get("by-key").getAttribution().getFeature()).isEqualTo("support-copilot");
        assertThat(byId.get("by-key").getAttribution().getMethod()).isEqualTo("api_key");
        assertThat(byId.get("unknown-key").getAttribution().getTeam()).isEqualTo("unallocated");
        assertThat(byId.get("unknown-key").getAttribution().getMethod()).isEqualTo("default");
        assertThat(byId.get("unknown-key").getAttribution().getOwner()).isEqualTo("platform-lead@example.com");
        assertThat(byId.get("unknown-feature").getAttribution().getFeature()).isEqualTo("unallocated");
    }

    @Test
    void shouldPassUnknownModelsOnFlaggedUnpricedAtZeroCost() {
        send(event("mystery", T0).setRequestModel("acme-llm-7b").build());

        PricedUsage p = priced.readValue();
        assertThat(p.getPrice()).isNull();
        assertThat(p.getFlags()).contains("unpriced");
        assertThat(p.getCost().getTotal()).isEqualByComparingTo("0");
        assertThat(metrics.count("tokenledger.events.unpriced", "provider", "openai", "model", "acme-llm-7b")).isEqualTo(1.0);
        assertThat(emitRollups().values()).allSatisfy(r -> assertThat(r.getUnpricedRequests()).isEqualTo(1));
    }

    @Test
    void shouldFoldALateEventIntoItsWindowAndReemitTheCorrectedRollup() {
        send(event("on-time", T0).build());
        send(event("next-hour", T0.plus(Duration.ofHours(2))).build());
        emitRollups();

        send(event("late", T0.plus(Duration.ofMinutes(30))).build());
        Map<String, Rollup> corrected = emitRollups();

        Rollup tenOClock = corrected.get("hourly|2026-11-02T10:00:00Z|search|semantic-search|acme|production|openai|gpt-4o");
        assertThat(tenOClock.getRequests()).isEqualTo(2);
        assertThat(tenOClock.getCost().getTotal()).isEqualByComparingTo("0.007");
        assertThat(corrected.get("daily|2026-11-02T00:00:00Z|search|semantic-search|acme|production|openai|gpt-4o").getRequests())
                .isEqualTo(3);
    }

    @Test
    void shouldRefuseEventsOlderThanTheRollupHorizonWithAReason() {
        send(event("now", T0).build());
        send(event("ancient", T0.minus(Duration.ofDays(3))).build());

        DeadLetter dead = dlq.readValue();
        assertThat(dead.getReason()).isEqualTo("too_old");
        assertThat(dead.getField()).isEqualTo("timestamp");
        assertThat(priced.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldKeepRollupTotalsEqualToPricedTotalsToTheLastDigit() {
        Random random = new Random(7);
        String[] customers = {"acme", "globex", "initech"};
        for (int i = 0; i < 500; i++) {
            Instant at = T0.plusSeconds(random.nextInt(3 * 3600));
            send(event("r-" + i, at)
                    .setInputTokens(random.nextInt(50_000))
                    .setOutputTokens(random.nextInt(3_000))
                    .setCustomerId(customers[random.nextInt(customers.length)])
                    .setFeature(random.nextBoolean() ? "semantic-search" : null)
                    .build());
        }
        BigDecimal pricedSum = priced.readValuesToList().stream()
                .map(p -> p.getCost().getTotal()).reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Rollup> latest = emitRollups();
        BigDecimal hourlySum = sum(latest, "hourly");
        BigDecimal dailySum = sum(latest, "daily");

        assertThat(pricedSum.signum()).isPositive();
        assertThat(hourlySum).isEqualTo(pricedSum);
        assertThat(dailySum).isEqualTo(pricedSum);
    }

    @Test
    void shouldRefuseAnInternalTopicStreamsWouldNameItself() {
        StreamsBuilder builder = TokenLedgerTopology.newBuilder(config);
        builder.stream("in").repartition().to("out");
        assertThatThrownBy(builder::build).isInstanceOf(TopologyException.class).hasMessageContaining("repartition");
    }

    @Test
    void shouldKeepEveryProcessorStoreAndInternalTopicName() throws Exception {
        String described = new TokenLedgerTopology(config, registry, PriceBook.empty(), metrics).build().describe().toString();
        Path pinned = Path.of("src/test/resources/topology-description.txt");
        if (!Files.exists(pinned)) {
            // First run after an intended change: write the new description for review, and fail.
            Files.createDirectories(pinned.getParent());
            Files.writeString(pinned, described);
            throw new AssertionError("wrote " + pinned + ": review it and commit it");
        }
        assertThat(described).isEqualTo(Files.readString(pinned));
    }

    private static BigDecimal sum(Map<String, Rollup> rollups, String granularity) {
        return rollups.entrySet().stream().filter(e -> e.getKey().startsWith(granularity + "|"))
                .map(e -> e.getValue().getCost().getTotal()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
