package dev.tokenledger.govern;

import dev.tokenledger.avro.AgentRunState;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.ScopeState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;

/** The govern stage alone in a TopologyTestDriver: priced calls and budgets in, alerts and statuses out. */
final class GovernHarness implements AutoCloseable {

    static final String PRICED = "llm.usage.priced.v1";
    static final String BUDGETS = "llm.budgets.v1";
    static final String ALERTS = "llm.alerts.budget.v1";
    static final String STATUS = "llm.budget-status.v1";

    final TopologyTestDriver driver;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestInputTopic<String, PricedUsage> priced;
    private final TestInputTopic<String, Budget> budgets;
    private final TestOutputTopic<String, BudgetAlert> alerts;
    private final TestOutputTopic<String, BudgetStatus> statuses;

    GovernHarness(Path stateDir, Instant wallClock, Map<String, String> config) {
        Map<String, String> settings = new HashMap<>(Map.of(
                GovernSettings.REQUEST_USD, "off", GovernSettings.AGENT_RUN_USD, "off", GovernSettings.AGENT_RUN_CALLS, "off"));
        settings.putAll(config);
        PlainAvroSerde<PricedUsage> pricedSerde = new PlainAvroSerde<>(PricedUsage.class);
        PlainAvroSerde<Budget> budgetSerde = new PlainAvroSerde<>(Budget.class);
        PlainAvroSerde<BudgetAlert> alertSerde = new PlainAvroSerde<>(BudgetAlert.class);
        PlainAvroSerde<BudgetStatus> statusSerde = new PlainAvroSerde<>(BudgetStatus.class);
        GovernStage.Wiring wiring = new GovernStage.Wiring(BUDGETS, ALERTS, STATUS, budgetSerde, alertSerde, statusSerde,
                new PlainAvroSerde<>(GovernSpend.class), new PlainAvroSerde<>(ScopeState.class),
                new PlainAvroSerde<>(AgentRunState.class));
        StreamsBuilder builder = new StreamsBuilder();
        new GovernStage(GovernSettings.from(settings), new GovernMetrics(meters), wiring)
                .addTo(builder, builder.stream(PRICED, Consumed.with(Serdes.String(), pricedSerde)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "govern-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, wallClock);
        priced = driver.createInputTopic(PRICED, new StringSerializer(), pricedSerde.serializer());
        budgets = driver.createInputTopic(BUDGETS, new StringSerializer(), budgetSerde.serializer());
        alerts = driver.createOutputTopic(ALERTS, new StringDeserializer(), alertSerde.deserializer());
        statuses = driver.createOutputTopic(STATUS, new StringDeserializer(), statusSerde.deserializer());
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
        var c = meters.find(meter).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
