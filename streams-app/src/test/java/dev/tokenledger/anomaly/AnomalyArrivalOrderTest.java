package dev.tokenledger.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage's anomalies do not depend on arrival order, also beyond the grace: the planted month in
 * event-time order into one driver and the same rollups shuffled over the whole month (as a shuffled
 * backfill's rollup stage emits them), or each emitted twice (first partial, then final, as the rollup
 * stage re-emits a corrected window) into another; after the wall clock runs the rebuild, the latest
 * state per anomaly id, withdrawn ones aside, is the same.
 */
class AnomalyArrivalOrderTest {

    @TempDir
    Path stateDir;

    private final List<Rollup> month = AnomalyMonthTest.everythingPlanted();

    /** Pipes the rollups in chunks, running the wall clock after each (a rebuild when dirty); returns every state. */
    private List<KeyValue<String, AnomalyAlert>> run(List<Rollup> rollups, int chunk) {
        try (AnomalyHarness h = new AnomalyHarness(stateDir.resolve(UUID.randomUUID().toString()), "order-" + UUID.randomUUID(), Map.of())) {
            for (int i = 0; i < rollups.size(); i += chunk) {
                h.pipe(rollups.subList(i, Math.min(rollups.size(), i + chunk)));
                h.driver.advanceWallClockTime(AnomalyProcessor.REBUILD_EVERY);
            }
            h.driver.advanceWallClockTime(AnomalyProcessor.REBUILD_EVERY);
            return h.read();
        }
    }

    private static Map<String, AnomalyAlert> latestNotWithdrawn(List<KeyValue<String, AnomalyAlert>> states) {
        return AnomalyHarness.latest(states).entrySet().stream()
                .filter(e -> !Anomaly.WITHDRAWN.equals(e.getValue().getState()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
    }

    private Map<String, AnomalyAlert> inOrder() {
        List<KeyValue<String, AnomalyAlert>> states = run(month, 1000);
        // In order nothing is late: no rebuild, no withdrawal, what the engine alone publishes.
        assertThat(states).noneSatisfy(kv -> assertThat(kv.value.getState()).isEqualTo(Anomaly.WITHDRAWN));
        AnomalyEngine engine = new AnomalyEngine(AnomalySettings.defaults());
        List<AnomalyAlert> expected = new ArrayList<>();
        month.forEach(r -> engine.accept(r).forEach(a -> expected.add(AnomalyAlerts.toAvro(a))));
        assertThat(states).extracting(kv -> kv.value).isEqualTo(expected);
        return latestNotWithdrawn(states);
    }

    @Test
    void shouldPublishTheInOrderStatesWhenTheMonthArrivesShuffled() {
        Map<String, AnomalyAlert> expected = inOrder();
        assertThat(expected).hasSizeGreaterThanOrEqualTo(6);
        for (long seed : new long[] {1, 2, 3}) {
            List<Rollup> shuffled = new ArrayList<>(month);
            Collections.shuffle(shuffled, new Random(seed));
            List<KeyValue<String, AnomalyAlert>> states = run(shuffled, 1500);
            assertThat(latestNotWithdrawn(states)).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void shouldPublishTheInOrderStatesWhenEveryRollupComesTwiceFirstPartial() {
        Map<String, AnomalyAlert> expected = inOrder();
        Random random = new Random(5);
        // Two random slots per rollup over the whole month: the partial in the earlier, the final in the later.
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < 2 * month.size(); i++) {
            slots.add(i);
        }
        Collections.shuffle(slots, random);
        Rollup[] arrivals = new Rollup[slots.size()];
        for (int k = 0; k < month.size(); k++) {
            int a = slots.get(2 * k);
            int b = slots.get(2 * k + 1);
            arrivals[Math.min(a, b)] = partial(month.get(k));
            arrivals[Math.max(a, b)] = month.get(k);
        }
        List<Rollup> twice = List.of(arrivals);
        List<KeyValue<String, AnomalyAlert>> states = run(twice, 2500);
        assertThat(latestNotWithdrawn(states)).isEqualTo(expected);
        // The partial values opened anomalies that the final ones do not have: they were withdrawn.
        assertThat(AnomalyHarness.latest(states).values()).anySatisfy(a -> assertThat(a.getState()).isEqualTo(Anomaly.WITHDRAWN));
    }

    /** The same window with about half of its requests, tokens and cost: an earlier emission of it. */
    static Rollup partial(Rollup r) {
        CostBreakdown c = r.getCost();
        return Rollup.newBuilder(r)
                .setRequests(r.getRequests() / 2 + 1).setSuccesses(r.getSuccesses() / 2 + 1).setFailures(r.getFailures() / 2)
                .setRetries(r.getRetries() / 2).setUnpricedRequests(r.getUnpricedRequests() / 2)
                .setInputTokens(r.getInputTokens() / 2).setUncachedInputTokens(r.getUncachedInputTokens() / 2)
                .setCacheReadInputTokens(r.getCacheReadInputTokens() / 2).setCacheCreationInputTokens(r.getCacheCreationInputTokens() / 2)
                .setOutputTokens(r.getOutputTokens() / 2)
                .setCost(new CostBreakdown(half(c.getUncachedInput()), half(c.getCacheRead()), half(c.getCacheWrite()),
                        half(c.getOutput()), half(c.getReasoning()), half(c.getFees()), half(c.getTotal())))
                .setRetryCostUsd(half(r.getRetryCostUsd()))
                .build();
    }

    private static BigDecimal half(BigDecimal v) {
        return v.divide(BigDecimal.valueOf(2), Money.SCALE, RoundingMode.HALF_EVEN);
    }
}
