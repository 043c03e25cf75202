package dev.tokenledger.anomaly;

import static dev.tokenledger.anomaly.AnomalyMonthTest.DEEPER_RETRIEVAL;
import static dev.tokenledger.anomaly.AnomalyMonthTest.MODEL_SWAP;
import static dev.tokenledger.anomaly.AnomalyMonthTest.UNTAGGED_DAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.AnomalyDriver;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.topics.Topics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wired anomaly stage on the test driver: planted months in as rollups, anomaly states out of
 * llm.alerts.anomaly.v1, and the stage's promises: each planted change raises its kind, once, updated
 * under the same key; a steady month stays quiet; a replay, a restart from the stores and an arrival
 * order within the grace all give the same states.
 */
class AnomalyTopologyTest {

    @TempDir
    Path stateDir;

    private List<KeyValue<String, AnomalyAlert>> run(List<Rollup> rollups, Map<String, String> settings) {
        try (AnomalyHarness h = new AnomalyHarness(stateDir.resolve(UUID.randomUUID().toString()), "anomaly-" + UUID.randomUUID(), settings)) {
            h.pipe(rollups);
            return h.read();
        }
    }

    private List<KeyValue<String, AnomalyAlert>> run(List<Rollup> rollups) {
        return run(rollups, Map.of());
    }

    private static List<AnomalyAlert> opened(List<KeyValue<String, AnomalyAlert>> states, AnomalyKind kind, String scopeType, String scopeId) {
        return states.stream().map(kv -> kv.value)
                .filter(a -> a.getState().equals(Anomaly.OPEN) && a.getKind().equals(kind.id())
                        && a.getScopeType().equals(scopeType) && a.getScopeId().equals(scopeId))
                .toList();
    }

    private static BigDecimal driverSum(AnomalyAlert a) {
        return a.getDrivers().stream().map(AnomalyDriver::getAmountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void shouldRaiseEachPlantedChangeAsItsKindOnTheAnomalyTopic() {
        List<KeyValue<String, AnomalyAlert>> states = run(AnomalyMonthTest.everythingPlanted());
        List<KeyValue<String, AnomalyAlert>> shape = run(SeasonalMonth.generate(7, 30, DEEPER_RETRIEVAL));
        // Alone: the other plants raise the month's tagged spend, and with it the untagged day's coverage.
        List<KeyValue<String, AnomalyAlert>> coverage = run(SeasonalMonth.generate(7, 30, UNTAGGED_DAY));

        assertThat(opened(states, AnomalyKind.UNIT_COST_DRIFT, "feature", "support-reply"))
                .anySatisfy(a -> assertThat(a.getWindowStart()).isEqualTo(Instant.parse("2026-10-18T14:00:00Z")));
        assertThat(opened(states, AnomalyKind.RETRY_STORM, "feature", "search-summarize"))
                .anySatisfy(a -> assertThat(a.getWindowStart()).isEqualTo(Instant.parse("2026-10-12T09:00:00Z")));
        assertThat(opened(states, AnomalyKind.CACHE_HIT_DROP, "feature", "code-review"))
                .anySatisfy(a -> assertThat(a.getWindowStart()).isEqualTo(Instant.parse("2026-10-20T10:00:00Z")));
        assertThat(opened(states, AnomalyKind.SPEND_SPIKE, "customer", "globex"))
                .anySatisfy(a -> assertThat(a.getWindowStart()).isBetween(Instant.parse("2026-10-15T08:00:00Z"), Instant.parse("2026-10-15T10:00:00Z")));
        assertThat(opened(coverage, AnomalyKind.COVERAGE_DROP, "global", "*"))
                .anySatisfy(a -> assertThat(a.getWindowStart()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z")));
        assertThat(opened(states, AnomalyKind.NEW_UNPRICED_MODEL, "model", "openai/gpt-5-preview"))
                .anySatisfy(a -> assertThat(a.getWindowStart()).isEqualTo(Instant.parse("2026-10-22T00:00:00Z")));
        assertThat(opened(shape, AnomalyKind.TOKEN_SHAPE_CHANGE, "feature", "code-review"))
                .anySatisfy(a -> assertThat(a.getWindowStart()).isEqualTo(Instant.parse("2026-10-10T00:00:00Z")));

        for (List<KeyValue<String, AnomalyAlert>> run : List.of(states, shape, coverage)) {
            for (KeyValue<String, AnomalyAlert> kv : run) {
                // Keyed by the anomaly id; the drivers of every state sum to its impact exactly.
                assertThat(kv.key).isEqualTo(kv.value.getAnomalyId());
                if (!kv.value.getDrivers().isEmpty()) {
                    assertThat(driverSum(kv.value)).isEqualByComparingTo(kv.value.getImpactUsd());
                }
            }
        }
    }

    @Test
    void shouldUpdateAnOpenAnomalyUnderItsKeyInsteadOfRaisingAnother() {
        List<KeyValue<String, AnomalyAlert>> states = run(SeasonalMonth.generate(11, 30, MODEL_SWAP));
        List<KeyValue<String, AnomalyAlert>> swap = states.stream()
                .filter(kv -> kv.value.getKind().equals("unit_cost_drift") && kv.value.getScopeId().equals("support-reply")
                        && kv.value.getModel() == null)
                .toList();
        assertThat(swap).extracting(kv -> kv.key).containsOnly(swap.get(0).key);
        assertThat(swap).extracting(kv -> kv.value.getState()).startsWith(Anomaly.OPEN).contains(Anomaly.UPDATED)
                .containsOnly(Anomaly.OPEN, Anomaly.UPDATED);
        // Impact accumulates over the open anomaly's windows.
        assertThat(swap.get(swap.size() - 1).value.getImpactUsd()).isGreaterThan(swap.get(0).value.getImpactUsd());
    }

    @Test
    void shouldRaiseAtMostOneAnomalyPerScopeInASteadyMonth() {
        Map<String, Set<String>> idsByScope = run(SeasonalMonth.generate(23, 30)).stream().map(kv -> kv.value)
                .collect(Collectors.groupingBy(a -> a.getScopeType() + "|" + a.getScopeId() + "|" + a.getFeature() + "|" + a.getModel(),
                        Collectors.mapping(AnomalyAlert::getAnomalyId, Collectors.toSet())));
        assertThat(idsByScope.values()).allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(1));
    }

    @Test
    void shouldPublishWhatTheEngineFindsWithoutAFlush() {
        List<Rollup> rollups = AnomalyMonthTest.everythingPlanted();
        AnomalyEngine engine = new AnomalyEngine(AnomalySettings.defaults());
        List<AnomalyAlert> expected = new ArrayList<>();
        rollups.forEach(r -> engine.accept(r).forEach(a -> expected.add(AnomalyAlerts.toAvro(a))));
        assertThat(run(rollups)).extracting(kv -> kv.value).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void shouldPublishTheSameStatesWhenTheSameMonthIsReplayed() {
        List<Rollup> rollups = AnomalyMonthTest.everythingPlanted();
        assertThat(run(rollups)).isNotEmpty().isEqualTo(run(rollups));
    }

    /**
     * A restart: a new processor initialised on the store the stopped one left rebuilds its engine from
     * it and continues as if never stopped. (The test driver wipes its state directory on close, and
     * under exactly_once a store without a clean-close checkpoint is restored from its changelog, which
     * the driver does not keep; so the restart is a new processor on the same store.)
     */
    @Test
    void shouldContinueFromItsStoreAfterARestartAsIfNeverStopped() {
        List<Rollup> rollups = AnomalyMonthTest.everythingPlanted();
        List<KeyValue<String, AnomalyAlert>> uninterrupted = run(rollups);
        // Stop in the middle of the month, between the retry storm and the customer spike.
        int half = (int) rollups.stream().filter(r -> r.getWindowStart().isBefore(Instant.parse("2026-10-14T00:00:00Z"))).count();
        TokenLedgerConfig tokenledger = TokenLedgerConfig.of(Map.of());
        AnomalyConfig config = AnomalyConfig.from(tokenledger);
        Topics topics = new Topics(tokenledger, SchemaRegistries.fromUrl("mem://anomaly-restart-" + UUID.randomUUID()));
        KeyValueStore<String, Rollup> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AnomalyProcessor.STORE),
                Serdes.String(), topics.avro(Rollup.class)).withLoggingDisabled().build();
        KeyValueStore<String, AnomalyAlert> published = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AnomalyProcessor.PUBLISHED_STORE),
                Serdes.String(), topics.avro(AnomalyAlert.class)).withLoggingDisabled().build();
        KeyValueStore<String, Long> dirty = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AnomalyProcessor.DIRTY_STORE),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        List<KeyValue<String, AnomalyAlert>> restarted = new ArrayList<>();
        restarted.addAll(process(config, List.of(store, published, dirty), rollups.subList(0, half), true));
        assertThat(restarted).isNotEmpty().hasSizeLessThan(uninterrupted.size());
        restarted.addAll(process(config, List.of(store, published, dirty), rollups.subList(half, rollups.size()), false));
        assertThat(restarted).isEqualTo(uninterrupted);
    }

    private static List<KeyValue<String, AnomalyAlert>> process(AnomalyConfig config, List<KeyValueStore<String, ?>> stores,
                                                                 List<Rollup> rollups, boolean initStore) {
        MockProcessorContext<String, AnomalyAlert> context = new MockProcessorContext<>();
        for (KeyValueStore<String, ?> store : stores) {
            if (initStore) {
                store.init(context.getStateStoreContext(), store);
            }
            context.addStateStore(store);
        }
        AnomalyProcessor processor = new AnomalyProcessor(config);
        processor.init(context);
        for (Rollup r : rollups) {
            processor.process(new Record<>(AnomalyHarness.key(r), r, r.getWindowEnd().toEpochMilli()));
        }
        return context.forwarded().stream().map(f -> KeyValue.pair(f.record().key(), f.record().value())).toList();
    }

    @Test
    void shouldPublishTheSameStatesWhateverTheArrivalOrderWithinTheGrace() {
        List<Rollup> rollups = AnomalyMonthTest.everythingPlanted();
        Map<String, String> grace = Map.of(TokenLedgerConfig.ANOMALY_GRACE_HOURS, "24");
        // Each day's rollups shuffled: an hour arrives up to 23 hours late, within a 24-hour grace.
        Random random = new Random(9);
        Map<Long, List<Rollup>> byDay = rollups.stream().collect(Collectors.groupingBy(
                r -> r.getWindowStart().toEpochMilli() / (24 * SeasonalMonth.HOUR), TreeMap::new, Collectors.toList()));
        List<Rollup> shuffled = new ArrayList<>();
        for (List<Rollup> day : byDay.values()) {
            List<Rollup> copy = new ArrayList<>(day);
            Collections.shuffle(copy, random);
            shuffled.addAll(copy);
        }
        assertThat(shuffled).isNotEqualTo(rollups);
        Map<String, AnomalyAlert> inOrder = AnomalyHarness.latest(run(rollups, grace));
        assertThat(inOrder).isNotEmpty();
        assertThat(AnomalyHarness.latest(run(shuffled, grace))).isEqualTo(inOrder);
    }

    @Test
    void shouldAcknowledgeAPlannedChangeWhenItOpensAndStopAlerting() {
        String series = "unit_cost_drift|feature|support-reply|support-reply|-";
        List<KeyValue<String, AnomalyAlert>> states = run(SeasonalMonth.generate(11, 30, MODEL_SWAP),
                Map.of(TokenLedgerConfig.ANOMALY_PLANNED, series));
        List<String> swap = states.stream().filter(kv -> kv.key.startsWith(series + "|")).map(kv -> kv.value.getState()).toList();
        // Acknowledged when it opens; nothing more but, once the baseline has learnt the new level, its resolution.
        assertThat(swap).startsWith(Anomaly.OPEN, Anomaly.ACKNOWLEDGED).doesNotContain(Anomaly.UPDATED).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void shouldDropADisabledKindAndLeaveTheStageOutWhenDisabled() {
        List<Rollup> rollups = AnomalyMonthTest.everythingPlanted();
        List<KeyValue<String, AnomalyAlert>> states = run(rollups, Map.of(TokenLedgerConfig.ANOMALY_KINDS, "retry_storm"));
        assertThat(states).isNotEmpty().allSatisfy(kv -> assertThat(kv.value.getKind()).isEqualTo("retry_storm"));
        assertThat(run(rollups, Map.of(TokenLedgerConfig.ANOMALY_ENABLED, "false"))).isEmpty();
    }
}
