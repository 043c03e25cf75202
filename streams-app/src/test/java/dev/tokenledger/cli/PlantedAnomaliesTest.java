package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.AnomalyDriver;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.AnomalyDemo;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.PlantedChanges;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.topology.TokenLedgerTopology;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planted part of the demo's generated traffic (its last six days, at a steady rate: the demo plays weeks of
 * history before them), with its planted changes, through the whole topology on the test driver
 * (shipped price book, demo ownership registry): the rollup stage's hourly rollups feed the anomaly stage,
 * and each planted change comes out of llm.alerts.anomaly.v1 as its kind, on its scope, soon after its
 * onset. Prints the detection delay in event time per kind (BENCHMARKS.md).
 */
class PlantedAnomaliesTest {

    static final Instant NOW = Instant.parse("2026-12-01T17:10:00Z");

    @TempDir
    Path stateDir;

    @Test
    void shouldFindEveryPlantedChangeInTheDemoTraffic() throws Exception {
        AnomalyDemo.Traffic traffic = AnomalyDemo.plantedOnly(7, NOW, AnomalyDemo.PLANTED_COUNT);
        GeneratorOptions options = traffic.options();
        PlantedChanges planted = traffic.planted();
        Map<String, AnomalyAlert> found = run(new TrafficGenerator(options, planted), AnomalyDemo.PLANTED_COUNT);

        for (PlantedChanges.Change c : planted.changes()) {
            List<AnomalyAlert> matching = found.values().stream()
                    .filter(a -> a.getKind().equals(c.kind()) && a.getScopeType().equals(c.scopeType())
                            && a.getScopeId().equals(c.scopeId()) && a.getModel() == null)
                    .toList();
            assertThat(matching).as("%s on %s %s in %s", c.kind(), c.scopeType(), c.scopeId(), found.keySet()).hasSize(1);
            AnomalyAlert a = matching.get(0);
            assertThat(a.getWindowStart()).isBetween(c.from(), c.from().plus(Duration.ofHours(2)));
            BigDecimal sum = a.getDrivers().stream().map(AnomalyDriver::getAmountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).isEqualTo(a.getImpactUsd());
            System.out.printf("planted %s on %s %s: onset %s, detected_at %s, delay %s, state %s, impact $%s%n  %s%n",
                    c.kind(), c.scopeType(), c.scopeId(), c.from(), a.getDetectedAt(),
                    Duration.between(c.from(), a.getDetectedAt()), a.getState(), a.getImpactUsd().toPlainString(), a.getExplanation());
        }
        // Noise: what is neither a planted change nor a finding on a planted change's own feature (a planted
        // change also moves the feature × model, team and model series it is part of).
        List<AnomalyAlert> unplanned = found.values().stream().filter(a -> !isPlanted(a, planted)).toList();
        unplanned.forEach(a -> System.out.printf("unplanned %s %s %s %s/%s from %s (%s, $%s): %s%n", a.getKind(), a.getScopeType(),
                a.getScopeId(), a.getFeature(), a.getModel(), a.getWindowStart(), a.getState(), a.getImpactUsd().toPlainString(),
                a.getExplanation()));
        // Measured (docs/anomalies.md): 44 of 55 before the noise floors, 14 of 25 after them, mostly doc-qa's
        // heavy-tailed context lengths, which the generator draws on purpose; 10 with the tail-aware spread, and 2 with
        // two hours to confirm: the generator's own unpriced model and the team of the swapped feature, both real.
        assertThat(unplanned).as("unplanned anomalies").hasSizeLessThanOrEqualTo(2);
        // The storm and the spike end: they resolve.
        assertThat(found.values()).filteredOn(a -> a.getKind().equals("retry_storm") && a.getScopeId().equals(PlantedChanges.RETRY_STORM_FEATURE))
                .extracting(AnomalyAlert::getState).containsExactly("resolved");
        assertThat(found.values()).filteredOn(a -> a.getKind().equals("spend_spike") && a.getScopeId().equals(PlantedChanges.SPIKE_CUSTOMER))
                .extracting(AnomalyAlert::getState).containsExactly("resolved");
    }

    /** A planted change's own alert, or one on the feature it was planted on (its feature × model series). */
    private static boolean isPlanted(AnomalyAlert a, PlantedChanges planted) {
        return planted.changes().stream().anyMatch(c -> c.scopeId().equals(a.getScopeId())
                && (c.kind().equals(a.getKind()) || "feature".equals(c.scopeType()) && "feature".equals(a.getScopeType())));
    }

    /** The latest anomaly state per id after the generator's {@code count} events, fed hour by hour of event time. */
    private Map<String, AnomalyAlert> run(TrafficGenerator generator, long count) throws Exception {
        String url = "mem://planted-" + UUID.randomUUID();
        SchemaRegistry registry = SchemaRegistries.fromUrl(url);
        Map<String, String> settings = new HashMap<>(AnomalyDemo.CONFIG);
        settings.put(TokenLedgerConfig.SCHEMA_REGISTRY_URL, url);
        settings.put(TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092");
        TokenLedgerConfig config = TokenLedgerConfig.of(settings);
        Topics topics = new Topics(config, registry);
        ReferenceData.Loaded reference = ReferenceData.load(null, null, null);
        Instant end = generator.options().start().plus(Duration.ofDays(AnomalyDemo.PLANTED_DAYS));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                new TokenLedgerTopology(config, registry, PriceBook.empty(), PipelineMetrics.inMemory()).build(),
                PipelineRunner.streamsProperties(config, stateDir.resolve(UUID.randomUUID().toString())), end.plusSeconds(60))) {
            TestInputTopic<String, PriceEntry> pricebook = driver.createInputTopic(topics.pricebook.name(), new StringSerializer(),
                    topics.pricebook.valueSerde().serializer());
            TestInputTopic<String, Ownership> ownership = driver.createInputTopic(topics.ownership.name(), new StringSerializer(),
                    topics.ownership.valueSerde().serializer());
            reference.prices().forEach(kv -> pricebook.pipeInput(kv.key, kv.value, Instant.EPOCH));
            reference.owners().forEach(kv -> ownership.pipeInput(kv.key, kv.value, Instant.EPOCH));
            TestInputTopic<byte[], byte[]> usage = driver.createInputTopic(topics.usageAvro.name(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, AnomalyAlert> alerts = driver.createOutputTopic(topics.anomalyAlerts.name(),
                    new StringDeserializer(), topics.anomalyAlerts.valueSerde().deserializer());
            Serializer<UsageEvent> serializer = topics.avro(UsageEvent.class).serializer();
            long hour = Long.MIN_VALUE;
            for (long i = 0; i < count; i++) {
                UsageEvent e = generator.next();
                long h = e.getTimestamp().toEpochMilli() / 3_600_000L;
                if (h != hour) {
                    // An hour of event time is in: let the rollup stage emit (its wall-clock interval).
                    driver.advanceWallClockTime(Duration.ofMillis(1100));
                    hour = h;
                }
                usage.pipeInput(e.getRequestId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topics.usageAvro.name(), e), e.getTimestamp());
            }
            driver.advanceWallClockTime(Duration.ofSeconds(2));
            Map<String, AnomalyAlert> latest = new LinkedHashMap<>();
            for (KeyValue<String, AnomalyAlert> kv : alerts.readKeyValuesToList()) {
                latest.put(kv.key, kv.value);
            }
            return latest;
        }
    }
}
