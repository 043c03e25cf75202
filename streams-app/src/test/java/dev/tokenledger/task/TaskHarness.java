package dev.tokenledger.task;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.avro.TaskResult;
import dev.tokenledger.avro.UntaskedCost;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.money.Money;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The task stage alone in a TopologyTestDriver, with the pipeline's topics and serdes (an in-memory
 * registry): priced calls and outcomes (Avro and JSON) in; task results, untasked lines and dead
 * letters out. The latest record per key of each output is kept, as the warehouse would.
 */
final class TaskHarness implements AutoCloseable {

    /** The emit interval of untasked lines here. */
    static final Duration EMIT = Duration.ofSeconds(1);
    /** The timestamp of raw outcome records piped by the tests (the outcome's own time is in the payload). */
    static final Instant RAW_RECORD_TIME = Instant.EPOCH;

    final TopologyTestDriver driver;
    final PipelineMetrics metrics = PipelineMetrics.inMemory();
    private final Serializer<TaskOutcome> outcomeSerializer;
    private final TestInputTopic<String, PricedUsage> priced;
    private final TestInputTopic<byte[], byte[]> outcomesAvro;
    private final TestInputTopic<byte[], byte[]> outcomesJson;
    private final TestOutputTopic<String, TaskResult> results;
    private final TestOutputTopic<String, UntaskedCost> untasked;
    private final TestOutputTopic<String, DeadLetter> dlq;
    private final Map<String, TaskResult> latestResults = new LinkedHashMap<>();
    private final Map<String, UntaskedCost> latestUntasked = new LinkedHashMap<>();
    private int ticks;

    TaskHarness(Path stateDir, Instant wallClock, Map<String, String> settings) {
        String url = "mem://task-test-" + UUID.randomUUID();
        Map<String, String> config = new HashMap<>(Map.of(
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
                TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092",
                TokenLedgerConfig.ROLLUP_EMIT_INTERVAL, EMIT.toString()));
        config.putAll(settings);
        TokenLedgerConfig tokenledger = TokenLedgerConfig.of(config);
        SchemaRegistry registry = SchemaRegistries.fromUrl(url);
        Topics topics = new Topics(tokenledger, registry);
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, PricedUsage> calls = builder.stream(topics.priced.name(), topics.priced.consumed("priced-source"));
        new TaskTopology(tokenledger, topics, registry, metrics).addTo(builder, calls);
        driver = new TopologyTestDriver(builder.build(), PipelineRunner.streamsProperties(tokenledger, stateDir), wallClock);
        outcomeSerializer = topics.avro(TaskOutcome.class).serializer();
        priced = driver.createInputTopic(topics.priced.name(), new StringSerializer(), topics.priced.valueSerde().serializer());
        outcomesAvro = driver.createInputTopic(topics.taskOutcomesAvro.name(), new ByteArraySerializer(), new ByteArraySerializer());
        outcomesJson = driver.createInputTopic(topics.taskOutcomesJson.name(), new ByteArraySerializer(), new ByteArraySerializer());
        results = driver.createOutputTopic(topics.taskResults.name(), new StringDeserializer(), topics.taskResults.valueSerde().deserializer());
        untasked = driver.createOutputTopic(topics.taskUntasked.name(), new StringDeserializer(), topics.taskUntasked.valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.dlq.name(), new StringDeserializer(), topics.dlq.valueSerde().deserializer());
    }

    static BigDecimal usd(String amount) {
        return Money.parse(amount).toBigDecimal();
    }

    /** A priced call costing {@code total}, attributed to support / ticket-triage, billed as {@code model}. */
    static PricedUsage.Builder call(String requestId, String taskId, Instant at, String total, String model) {
        BigDecimal zero = Money.ZERO.toBigDecimal();
        UsageEvent event = UsageEvent.newBuilder()
                .setRequestId(requestId)
                .setTimestamp(at)
                .setProvider("openai")
                .setRequestModel(model)
                .setInputTokens(1_000)
                .setOutputTokens(100)
                .setTeam("support")
                .setFeature("ticket-triage")
                .setTaskId(taskId)
                .build();
        return PricedUsage.newBuilder()
                .setEvent(event)
                .setBilledModel(model)
                .setCost(new CostBreakdown(zero, zero, zero, usd(total), zero, zero, usd(total)))
                .setPrice(null)
                .setFlags(List.of())
                .setAttribution(new Attribution("support", "ticket-triage", null, null, "ana@example.com", "tagged"))
                .setPricedAt(at);
    }

    static TaskOutcome.Builder outcome(String taskId, String outcome, Instant at) {
        return TaskOutcome.newBuilder().setTaskId(taskId).setOutcome(outcome).setTimestamp(at);
    }

    void pipe(PricedUsage.Builder call) {
        pipe(call, c -> { });
    }

    void pipe(PricedUsage.Builder call, Consumer<UsageEvent> adjust) {
        PricedUsage p = call.build();
        adjust.accept(p.getEvent());
        pipe(p);
    }

    void pipe(PricedUsage p) {
        priced.pipeInput(p.getEvent().getRequestId(), p, p.getEvent().getTimestamp());
    }

    void outcome(TaskOutcome.Builder o) {
        TaskOutcome outcome = o.build();
        outcomesAvro.pipeInput(bytes(outcome.getTaskId()), outcomeSerializer.serialize("llm.task-outcomes.v1", outcome), outcome.getTimestamp());
    }

    /**
     * Raw records are stamped at {@link #RAW_RECORD_TIME}: the test driver runs the whole topology as
     * one task, so a record's timestamp moves the task stage's stream time too (a broker's tasks do not share it).
     */
    void outcomeJson(String key, String json) {
        outcomesJson.pipeInput(key == null ? null : bytes(key), bytes(json), RAW_RECORD_TIME);
    }

    void outcomeAvroBytes(byte[] value) {
        outcomesAvro.pipeInput(null, value, RAW_RECORD_TIME);
    }

    /** Moves the task stage's stream time to {@code at} with an outcome of a task of its own (an orphan, costing nothing). */
    void advanceStreamTime(Instant at) {
        outcome(outcome("tick-" + ticks++, TaskLedger.SUCCESS, at));
    }

    /** Moves the wall clock past the emit interval: changed untasked lines are written. */
    void flush() {
        driver.advanceWallClockTime(EMIT);
    }

    /** Every task record written since the last call, in order. */
    List<KeyValue<String, TaskResult>> newResults() {
        List<KeyValue<String, TaskResult>> read = results.readKeyValuesToList();
        read.forEach(kv -> latestResults.put(kv.key, kv.value));
        return read;
    }

    /** The latest record per task, ticks left out. */
    Map<String, TaskResult> results() {
        newResults();
        Map<String, TaskResult> out = new LinkedHashMap<>(latestResults);
        out.keySet().removeIf(k -> k.startsWith("tick-"));
        return out;
    }

    Map<String, UntaskedCost> untasked() {
        untasked.readKeyValuesToList().forEach(kv -> latestUntasked.put(kv.key, kv.value));
        return latestUntasked;
    }

    List<DeadLetter> deadLetters() {
        return dlq.readValuesToList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
