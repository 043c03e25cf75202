package dev.tokenledger.govern;

import dev.tokenledger.aggregate.AggregateTopology;
import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The govern stage alone in a TopologyTestDriver, with the pipeline's topics and serdes (an
 * in-memory registry): priced calls and budgets in, alerts and statuses out. Ceilings are off
 * unless a test sets them.
 */
final class GovernHarness implements AutoCloseable {

    /** The rollup stage's flush interval here: one millisecond of wall clock per call. */
    static final Duration FLUSH = Duration.ofMillis(1);

    final TopologyTestDriver driver;
    final PipelineMetrics metrics = PipelineMetrics.inMemory();
    private final TestInputTopic<String, PricedUsage> priced;
    private final TestInputTopic<String, Budget> budgets;
    private final TestOutputTopic<String, BudgetAlert> alerts;
    private final TestOutputTopic<String, BudgetStatus> statuses;

    GovernHarness(Path stateDir, Instant wallClock, Map<String, String> settings) {
        String url = "mem://govern-test-" + UUID.randomUUID();
        Map<String, String> config = new HashMap<>(Map.of(
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
                TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092",
                GovernSettings.REQUEST_USD, "off", GovernSettings.AGENT_RUN_USD, "off", GovernSettings.AGENT_RUN_CALLS, "off",
                TokenLedgerConfig.BUDGET_SPEND_INTERVAL, FLUSH.toString()));
        config.putAll(settings);
        TokenLedgerConfig tokenledger = TokenLedgerConfig.of(config);
        Topics topics = new Topics(tokenledger, SchemaRegistries.fromUrl(url));
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, PricedUsage> calls = builder.stream(topics.priced.name(), topics.priced.consumed("priced-source"));
        // Budgets count the rollup stage's sums, so the harness runs that stage too.
        KStream<String, SpendDelta> spend = new AggregateTopology(tokenledger, topics, metrics).addTo(builder, calls).spend();
        new GovernTopology(tokenledger, topics, metrics).addTo(builder, calls, spend);
        driver = new TopologyTestDriver(builder.build(), PipelineRunner.streamsProperties(tokenledger, stateDir), wallClock);
        priced = driver.createInputTopic(topics.priced.name(), new StringSerializer(), topics.priced.valueSerde().serializer());
        budgets = driver.createInputTopic(topics.budgets.name(), new StringSerializer(), topics.budgets.valueSerde().serializer());
        alerts = driver.createOutputTopic(topics.budgetAlerts.name(), new StringDeserializer(),
                topics.budgetAlerts.valueSerde().deserializer());
        statuses = driver.createOutputTopic(topics.budgetStatus.name(), new StringDeserializer(),
                topics.budgetStatus.valueSerde().deserializer());
    }

    void budget(Budget b) {
        budgets.pipeInput(b.getScopeType() + ":" + b.getScopeId() + ":" + b.getPeriod(), b);
    }

    void deleteBudget(String key) {
        budgets.pipeInput(key, null);
    }

    void call(String requestId, Instant at, String cost) {
        call(requestId, at, cost, b -> { });
    }

    void call(String requestId, Instant at, String cost, Consumer<PricedUsage> adjust) {
        PricedUsage p = GovernFixtures.priced(requestId, at, cost).build();
        adjust.accept(p);
        priced.pipeInput(requestId, p, at);
        // The rollup stage hands spend on at its flush: one flush per call keeps the call's effects visible at once.
        driver.advanceWallClockTime(FLUSH);
    }

    /** Moves the wall clock on, firing the reconcile and refresh punctuators. */
    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    List<BudgetAlert> alerts() {
        return alerts.readValuesToList();
    }

    /** The alerts of the given kinds only (a test about thresholds need not restate every forecast). */
    List<BudgetAlert> alerts(String... kinds) {
        List<String> wanted = List.of(kinds);
        return alerts.readValuesToList().stream().filter(a -> wanted.contains(a.getKind())).toList();
    }

    List<KeyValue<String, BudgetAlert>> keyedAlerts() {
        return alerts.readKeyValuesToList();
    }

    List<KeyValue<String, BudgetStatus>> statuses() {
        return statuses.readKeyValuesToList();
    }

    double count(String meter, String... tags) {
        return metrics.count(meter, tags);
    }

    @Override
    public void close() {
        driver.close();
    }
}
