package dev.tokenledger.anomaly;

import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The anomaly stage alone in a TopologyTestDriver, as the pipeline wires it (hourly filter, the
 * one-partition repartition, the processor and its store, the Avro sink): rollups in, keyed as on
 * llm.rollups.v1 and stamped with their window end, anomaly states out of llm.alerts.anomaly.v1.
 * The registry is named by the test, so a second harness on the same state directory (a restart)
 * reads the schemas the first one registered.
 */
final class AnomalyHarness implements AutoCloseable {

    final TopologyTestDriver driver;
    private final TestInputTopic<String, Rollup> rollups;
    private final TestOutputTopic<String, AnomalyAlert> alerts;

    AnomalyHarness(Path stateDir, String registryName, Map<String, String> settings) {
        String url = "mem://" + registryName;
        Map<String, String> config = new HashMap<>(Map.of(
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
                TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092"));
        config.putAll(settings);
        TokenLedgerConfig tokenledger = TokenLedgerConfig.of(config);
        SchemaRegistry registry = SchemaRegistries.fromUrl(url);
        Topics topics = new Topics(tokenledger, registry);
        StreamsBuilder builder = new StreamsBuilder();
        new AnomalyTopology(tokenledger, topics).addTo(builder,
                builder.stream(topics.rollups.name(), topics.rollups.consumed("rollups-source")));
        driver = new TopologyTestDriver(builder.build(), PipelineRunner.streamsProperties(tokenledger, stateDir), Instant.EPOCH);
        rollups = driver.createInputTopic(topics.rollups.name(), new StringSerializer(), topics.rollups.valueSerde().serializer());
        alerts = driver.createOutputTopic(topics.anomalyAlerts.name(), new StringDeserializer(),
                topics.anomalyAlerts.valueSerde().deserializer());
    }

    /** The key llm.rollups.v1 gives a rollup (the stage keeps it in its store's key). */
    static String key(Rollup r) {
        return String.join("|", r.getGranularity(), r.getWindowStart().toString(), r.getTeam(), r.getFeature(),
                r.getCustomerId(), r.getEnvironment(), r.getProvider(), r.getModel());
    }

    void pipe(List<Rollup> input) {
        for (Rollup r : input) {
            rollups.pipeInput(key(r), r, r.getWindowEnd());
        }
    }

    /** Every anomaly state written since the last call, in order. */
    List<KeyValue<String, AnomalyAlert>> read() {
        return alerts.readKeyValuesToList();
    }

    /** The latest state per anomaly id, as the warehouse keeps it. */
    static Map<String, AnomalyAlert> latest(List<KeyValue<String, AnomalyAlert>> states) {
        Map<String, AnomalyAlert> out = new LinkedHashMap<>();
        states.forEach(kv -> out.put(kv.key, kv.value));
        return out;
    }

    /** Moves the wall clock (punctuations: the republication of anomalies acknowledged in a replay). */
    void tick() {
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
    }

    @Override
    public void close() {
        driver.close();
    }
}
