package dev.tokenledger.anomaly;

import static dev.tokenledger.anomaly.SeasonalMonth.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.attribute.Attributor;
import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.registry.InMemorySchemaRegistry;
import dev.tokenledger.serde.ConfluentAvroSerde;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyEngineTest {

    static final AnomalySettings SETTINGS = AnomalySettings.defaults();

    static List<Anomaly> feed(AnomalyEngine engine, List<Rollup> rollups) {
        List<Anomaly> out = new ArrayList<>();
        rollups.forEach(r -> out.addAll(engine.accept(r)));
        return out;
    }

    @Test
    void shouldNameUntaggedCostAsTheAttributeStageDoes() {
        assertThat(AnomalyEngine.UNALLOCATED).isEqualTo(Attributor.UNALLOCATED);
    }

    @Test
    void shouldScoreAnHourOnlyOnceTheGraceHasPassed() {
        List<Rollup> month = SeasonalMonth.generate(7, 30, AnomalyMonthTest.RETRY_STORM);
        AnomalyEngine engine = new AnomalyEngine(SETTINGS);
        // The storm starts at 09:00; its second hour, ending at 11:00, confirms it (confirmWindows 2).
        long stormEnd = at("2026-10-12T11:00:00Z");
        List<Anomaly> upToStorm = feed(engine, month.stream()
                .filter(r -> r.getWindowStart().toEpochMilli() < stormEnd + SETTINGS.graceHours() * SeasonalMonth.HOUR - SeasonalMonth.HOUR).toList());
        assertThat(upToStorm).noneMatch(a -> a.kind() == AnomalyKind.RETRY_STORM);
        List<Anomaly> nextHour = feed(engine, month.stream()
                .filter(r -> r.getWindowStart().toEpochMilli() == stormEnd + (SETTINGS.graceHours() - 1) * SeasonalMonth.HOUR).toList());
        assertThat(nextHour).anyMatch(a -> a.kind() == AnomalyKind.RETRY_STORM && a.state().equals(Anomaly.OPEN));
    }

    @Test
    void shouldIgnoreDailyRollupsAndCountRollupsOlderThanTheHistory() {
        AnomalyEngine engine = new AnomalyEngine(SETTINGS);
        List<Rollup> month = SeasonalMonth.generate(7, 31);
        Rollup daily = Rollup.newBuilder(month.get(0)).setGranularity("daily").build();
        assertThat(engine.accept(daily)).isEmpty();
        feed(engine, month);
        assertThat(engine.lateDropped()).isZero();
        engine.accept(month.get(0));
        assertThat(engine.lateDropped()).isEqualTo(1);
    }

    @Test
    void shouldReplaceAReEmittedRollupRatherThanAddIt() {
        List<Rollup> month = SeasonalMonth.generate(7, 30, AnomalyMonthTest.CUSTOMER_SPIKE);
        List<Rollup> withPartials = new ArrayList<>();
        for (Rollup r : month) {
            // The rollup stage emits a window's running total, then its corrected value: the engine keeps the last.
            withPartials.add(Rollup.newBuilder(r).setRequests(r.getRequests() / 2).setCost(
                    dev.tokenledger.aggregate.RollupMath.zeroCost()).build());
            withPartials.add(r);
        }
        assertThat(SeasonalMonth.run(SETTINGS, withPartials)).isEqualTo(SeasonalMonth.run(SETTINGS, month));
    }

    @Test
    void shouldStopAlertingAPlannedChangeAndLetTheBaselineLearnIt() {
        List<Rollup> month = SeasonalMonth.generate(7, 30, AnomalyMonthTest.MODEL_SWAP);
        AnomalyEngine engine = new AnomalyEngine(SETTINGS);
        List<Anomaly> out = new ArrayList<>();
        String drift = null;
        for (Rollup r : month) {
            for (Anomaly a : engine.accept(r)) {
                out.add(a);
                if (drift == null && a.kind() == AnomalyKind.UNIT_COST_DRIFT && a.model() == null) {
                    drift = a.anomalyId();
                    out.add(engine.acknowledge(drift).orElseThrow());
                }
            }
        }
        out.addAll(engine.flush());
        String id = drift;
        List<Anomaly> states = out.stream().filter(a -> a.anomalyId().equals(id)).toList();
        // Acknowledged, it emits nothing more; once the baseline has learnt the new level it may resolve.
        assertThat(states).extracting(Anomaly::state).startsWith(Anomaly.OPEN, Anomaly.ACKNOWLEDGED)
                .doesNotContain(Anomaly.UPDATED).hasSizeLessThanOrEqualTo(3);
        // No other unit-cost anomaly of the feature is raised while it is acknowledged.
        assertThat(out).filteredOn(a -> a.kind() == AnomalyKind.UNIT_COST_DRIFT && a.model() == null
                && a.scopeId().equals("support-reply")).extracting(Anomaly::anomalyId).containsOnly(id);
    }

    @Test
    void shouldResolveAnAcknowledgedChangeOnceTheBaselineHasLearntIt() {
        // Two days of flat history, so the new level can become the median within the month.
        AnomalySettings.Rule unitCost = SETTINGS.rule(AnomalyKind.UNIT_COST_DRIFT);
        AnomalySettings shortMemory = SETTINGS.with(AnomalyKind.UNIT_COST_DRIFT, new AnomalySettings.Rule(true,
                unitCost.direction(), unitCost.minScore(), unitCost.minRelativeChange(), unitCost.minAbsoluteChange(),
                unitCost.minSpendUsd(), unitCost.minVolume(), unitCost.resolveAfterNormal(),
                new Baseline.Settings(48, 24, 3, 5, false, 0.00001, 0.05)));
        AnomalyEngine engine = new AnomalyEngine(shortMemory);
        List<Anomaly> states = new ArrayList<>();
        String id = null;
        for (Rollup r : SeasonalMonth.generate(7, 30, AnomalyMonthTest.MODEL_SWAP)) {
            for (Anomaly a : engine.accept(r)) {
                if (a.kind() == AnomalyKind.UNIT_COST_DRIFT && a.scopeId().equals("support-reply") && a.model() == null) {
                    states.add(a);
                    if (id == null) {
                        id = a.anomalyId();
                        states.add(engine.acknowledge(id).orElseThrow());
                    }
                }
            }
        }
        assertThat(states).extracting(Anomaly::state).containsExactly(Anomaly.OPEN, Anomaly.ACKNOWLEDGED, Anomaly.RESOLVED);
        assertThat(states).extracting(Anomaly::anomalyId).containsOnly(id);
        // Resolved within a day and a half of the swap: the acknowledged hours entered the baseline.
        assertThat(states.get(2).windowEnd()).isBefore(java.time.Instant.parse("2026-10-20T02:00:00Z"));
    }

    @Test
    void shouldWriteTheAvroRecordAndReadItBack() {
        List<Anomaly> found = SeasonalMonth.run(SETTINGS, SeasonalMonth.generate(7, 30, AnomalyMonthTest.MODEL_SWAP, AnomalyMonthTest.UNTAGGED_DAY));
        Anomaly drift = found.stream().filter(a -> a.kind() == AnomalyKind.UNIT_COST_DRIFT).findFirst().orElseThrow();
        Anomaly coverage = found.stream().filter(a -> a.kind() == AnomalyKind.COVERAGE_DROP).findFirst().orElseThrow();
        for (Anomaly a : List.of(drift, coverage)) {
            AnomalyAlert alert = AnomalyAlerts.toAvro(a);
            try (ConfluentAvroSerde<AnomalyAlert> serde = ConfluentAvroSerde.forValues(new InMemorySchemaRegistry(), AnomalyAlert.class)) {
                AnomalyAlert back = serde.deserializer().deserialize("llm.alerts.anomaly.v1",
                        serde.serializer().serialize("llm.alerts.anomaly.v1", alert));
                assertThat(back).isEqualTo(alert);
                assertThat(back.getImpactUsd()).isEqualTo(a.impactUsd());
            }
        }
        AnomalyAlert d = AnomalyAlerts.toAvro(drift);
        assertThat(d.getDrivers()).hasSize(4);
        assertThat(d.getDrivers().stream().map(x -> x.getAmountUsd()).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(d.getImpactUsd());
        assertThat(AnomalyAlerts.toAvro(coverage).getScore()).isNull();
    }
}
