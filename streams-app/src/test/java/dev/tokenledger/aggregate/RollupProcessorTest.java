package dev.tokenledger.aggregate;

import static dev.tokenledger.govern.GovernFixtures.priced;
import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollup stage alone: sums per (hour, workload, dimensions), told to budgets often, folded into windows at each emission. */
class RollupProcessorTest {

    static final Instant T = Instant.parse("2026-11-02T10:15:00Z");
    static final Duration GOVERN = Duration.ofMillis(200);
    static final Duration EMIT = Duration.ofSeconds(1);

    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, PricedUsage> calls;
    TestOutputTopic<String, Rollup> rollups;
    TestOutputTopic<String, SpendDelta> spend;
    TestOutputTopic<String, SpendDelta> modelDays;

    @BeforeEach
    void start() {
        String url = "mem://rollup-test-" + UUID.randomUUID();
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
                TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092",
                TokenLedgerConfig.BUDGET_SPEND_INTERVAL, GOVERN.toString(),
                TokenLedgerConfig.ROLLUP_EMIT_INTERVAL, EMIT.toString()));
        Topics topics = new Topics(config, SchemaRegistries.fromUrl(url));
        StreamsBuilder builder = new StreamsBuilder();
        AggregateTopology.Aggregates out = new AggregateTopology(config, topics, PipelineMetrics.inMemory())
                .addTo(builder, builder.stream(topics.priced.name(), topics.priced.consumed("priced-source")));
        out.spend().to("spend-out", Produced.with(org.apache.kafka.common.serialization.Serdes.String(), new SpendDeltaSerde()));
        out.modelDays().to("model-day-out", Produced.with(org.apache.kafka.common.serialization.Serdes.String(), new SpendDeltaSerde()));
        driver = new TopologyTestDriver(builder.build(), PipelineRunner.streamsProperties(config, stateDir), Instant.EPOCH);
        calls = driver.createInputTopic(topics.priced.name(), new StringSerializer(), topics.priced.valueSerde().serializer());
        rollups = driver.createOutputTopic(topics.rollups.name(), new StringDeserializer(), topics.rollups.valueSerde().deserializer());
        spend = driver.createOutputTopic("spend-out", new StringDeserializer(), new SpendDeltaSerde().deserializer());
        modelDays = driver.createOutputTopic("model-day-out", new StringDeserializer(), new SpendDeltaSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void call(String id, Instant at, String cost, String workload) {
        PricedUsage p = priced(id, at, cost).build();
        p.getEvent().setWorkload(workload);
        calls.pipeInput(id, p, at);
    }

    @Test
    void shouldTellBudgetsTheSumsOfEachHourAndWorkloadBeforeTheRollupsAreWritten() {
        call("r-1", T, "1.000000000001", "chat");
        call("r-2", T.plusSeconds(60), "2", "chat");
        call("r-3", T.plusSeconds(30), "4", "batch-summaries");
        call("r-4", T.plus(Duration.ofHours(1)), "8", "chat");
        assertThat(spend.isEmpty()).as("nothing before the first interval").isTrue();

        driver.advanceWallClockTime(GOVERN);
        List<SpendDelta> told = spend.readValuesToList();
        assertThat(told).extracting(SpendDelta::total)
                .containsExactlyInAnyOrder(usd("3.000000000001"), usd("4"), usd("8"));
        SpendDelta chat = told.stream().filter(d -> d.requests() == 2).findFirst().orElseThrow();
        assertThat(chat.lastRequestId()).as("named after the newest call").isEqualTo("r-2");
        assertThat(chat.workload()).isEqualTo("chat");
        assertThat(rollups.isEmpty()).as("windows are written at the emit interval only").isTrue();

        driver.advanceWallClockTime(GOVERN);
        assertThat(spend.isEmpty()).as("a sum is told once").isTrue();
    }

    @Test
    void shouldWriteEachChangedWindowOnceWithEveryCallInIt() {
        call("r-1", T, "1.000000000001", "chat");
        call("r-2", T.plusSeconds(60), "2", "chat");
        call("r-3", T.plusSeconds(30), "4", "batch-summaries");
        call("r-4", T.plus(Duration.ofHours(1)), "8", null);

        driver.advanceWallClockTime(EMIT);
        List<KeyValue<String, Rollup>> out = rollups.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key.substring(0, kv.key.indexOf('|', 7)))
                .containsExactlyInAnyOrder("hourly|2026-11-02T10:00:00Z", "hourly|2026-11-02T11:00:00Z", "daily|2026-11-02T00:00:00Z");
        Rollup tenOClock = out.stream().filter(kv -> kv.key.startsWith("hourly|2026-11-02T10")).findFirst().orElseThrow().value;
        assertThat(tenOClock.getRequests()).as("both workloads in one window").isEqualTo(3);
        assertThat(tenOClock.getCost().getTotal()).isEqualTo(usd("7.000000000001"));
        Rollup day = out.stream().filter(kv -> kv.key.startsWith("daily|")).findFirst().orElseThrow().value;
        assertThat(day.getCost().getTotal()).isEqualTo(usd("15.000000000001"));
        assertThat(day.getLastEventAt()).isEqualTo(T.plus(Duration.ofHours(1)));
        assertThat(spend.readValuesToList().stream().map(SpendDelta::total).reduce(java.math.BigDecimal::add))
                .as("budgets were told the same spend").contains(usd("15.000000000001"));

        // A late call corrects its window: only that window (and its day) is written again.
        call("r-5", T.plusSeconds(5), "0.5", "chat");
        driver.advanceWallClockTime(EMIT);
        assertThat(rollups.readKeyValuesToList()).extracting(kv -> kv.value.getCost().getTotal())
                .containsExactlyInAnyOrder(usd("7.500000000001"), usd("15.500000000001"));
        driver.advanceWallClockTime(EMIT);
        assertThat(rollups.isEmpty()).as("nothing changed, nothing written").isTrue();
    }

    @Test
    void shouldHandTheReconcileStageEachProviderDayAndModelOncePerEmissionSummedOverTheOtherDimensions() {
        call("r-1", T, "1.000000000001", "chat");
        call("r-2", T.plusSeconds(60), "2", "batch-summaries");
        call("r-3", T.plus(Duration.ofHours(1)), "4", null);
        assertThat(modelDays.isEmpty()).as("nothing before the emit interval").isTrue();

        driver.advanceWallClockTime(EMIT);
        List<KeyValue<String, SpendDelta>> out = modelDays.readKeyValuesToList();
        assertThat(out).hasSize(1);
        RollupKeys.ModelDayKey key = RollupKeys.parseModelDay(out.get(0).key);
        assertThat(key.dayStartMs()).isEqualTo(Granularity.DAILY.windowStart(T.toEpochMilli()));
        assertThat(out.get(0).value.total()).isEqualTo(usd("7.000000000001"));
        assertThat(out.get(0).value.requests()).isEqualTo(3);

        // Late spend comes as a further sum to add, not a replacement.
        call("r-4", T.plusSeconds(5), "0.5", "chat");
        driver.advanceWallClockTime(EMIT);
        assertThat(modelDays.readValuesToList()).extracting(SpendDelta::total).containsExactly(usd("0.5"));
        driver.advanceWallClockTime(EMIT);
        assertThat(modelDays.isEmpty()).isTrue();
    }
}
