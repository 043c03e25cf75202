package dev.tokenledger.anomaly;

import static dev.tokenledger.anomaly.SeasonalMonth.at;
import static dev.tokenledger.anomaly.SeasonalMonth.during;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Rollup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole months of seasonal, noisy hourly rollups through the engine: quiet when nothing changes, the right finding when something does. */
class AnomalyMonthTest {

    static final AnomalySettings SETTINGS = AnomalySettings.defaults();
    static final long END = at("2026-10-31T00:00:00Z");

    static final SeasonalMonth.Plant MODEL_SWAP = during(at("2026-10-18T14:00:00Z"), END, "support-reply", null, l -> {
        SeasonalMonth.Line sonnet = l.copy();
        sonnet.model = "claude-sonnet-4-5";
        sonnet.requestsPerHour = l.requestsPerHour * 0.9;
        l.requestsPerHour *= 0.1;
        return List.of(l, sonnet);
    });
    static final SeasonalMonth.Plant RETRY_STORM = during(at("2026-10-12T09:00:00Z"), at("2026-10-12T14:00:00Z"), "search-summarize", null, l -> {
        l.retryShare = 0.4;
        l.failureShare = 0.2;
        l.requestsPerHour *= 1.4;
        return List.of(l);
    });
    static final SeasonalMonth.Plant CACHE_REGRESSION = during(at("2026-10-20T10:00:00Z"), END, "code-review", null, l -> {
        l.cacheShare = 0.05;
        return List.of(l);
    });
    static final SeasonalMonth.Plant CUSTOMER_SPIKE = (hourMs, l) -> {
        if (hourMs >= at("2026-10-15T08:00:00Z") && hourMs < at("2026-10-15T20:00:00Z") && l.customer.equals("globex")) {
            l.requestsPerHour *= 6;
        }
        return List.of(l);
    };
    static final SeasonalMonth.Plant UNTAGGED_DAY = during(at("2026-10-25T00:00:00Z"), at("2026-10-26T00:00:00Z"), "unallocated", null, l -> {
        l.requestsPerHour *= 40;
        return List.of(l);
    });
    static final SeasonalMonth.Plant NEW_ALIAS = during(at("2026-10-22T00:00:00Z"), END, "search-summarize", "acme", l -> {
        SeasonalMonth.Line alias = l.copy();
        alias.model = "gpt-5-preview";
        alias.priced = false;
        alias.requestsPerHour = l.requestsPerHour * 0.1;
        l.requestsPerHour *= 0.9;
        return List.of(l, alias);
    });
    static final SeasonalMonth.Plant DEEPER_RETRIEVAL = during(at("2026-10-10T00:00:00Z"), END, "code-review", null, l -> {
        l.inputPerRequest *= 2;
        return List.of(l);
    });

    static List<Anomaly> month(SeasonalMonth.Plant... plants) {
        return SeasonalMonth.run(SETTINGS, SeasonalMonth.generate(7, 30, plants));
    }

    static List<Anomaly> opened(List<Anomaly> found, AnomalyKind kind, String scopeType, String scopeId) {
        return found.stream().filter(a -> a.state().equals(Anomaly.OPEN) && a.kind() == kind
                && a.scopeType().equals(scopeType) && a.scopeId().equals(scopeId)).toList();
    }

    static Anomaly.Driver largestDriver(Anomaly a) {
        return a.drivers().stream().max(Comparator.comparing(d -> d.amountUsd().abs())).orElseThrow();
    }

    static BigDecimal driverSum(Anomaly a) {
        return a.drivers().stream().map(Anomaly.Driver::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** At most one anomaly id per scope, naming them all when not. */
    static void assertAtMostOnePerScope(List<Anomaly> found) {
        Map<String, Set<String>> idsByScope = found.stream().collect(Collectors.groupingBy(
                a -> a.scopeType() + "|" + a.scopeId() + "|" + a.feature() + "|" + a.model(),
                Collectors.mapping(Anomaly::anomalyId, Collectors.toSet())));
        assertThat(idsByScope.values())
                .as("anomalies: %s", found.stream().map(a -> a.state() + " " + a.explanation()).toList())
                .allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(1));
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 11, 23})
    void shouldRaiseAtMostOneAnomalyPerScopeInASteadySeasonalMonth(long seed) {
        assertAtMostOnePerScope(SeasonalMonth.run(SETTINGS, SeasonalMonth.generate(seed, 30)));
    }

    @Test
    void shouldStayQuietWhenTheNoiseDoubles() {
        assertAtMostOnePerScope(SeasonalMonth.run(SETTINGS, SeasonalMonth.generate(5, 30, 2.0)));
    }

    @Test
    void shouldExplainAModelSwapAsUnitCostDriftDrivenByModelMix() {
        List<Anomaly> found = month(MODEL_SWAP);
        List<Anomaly> drift = opened(found, AnomalyKind.UNIT_COST_DRIFT, "feature", "support-reply").stream()
                .filter(a -> a.model() == null).toList();
        assertThat(drift).hasSize(1);
        Anomaly a = drift.get(0);
        assertThat(a.windowStart()).isEqualTo(Instant.parse("2026-10-18T14:00:00Z"));
        assertThat(largestDriver(a).name()).isEqualTo("model_mix");
        assertThat(largestDriver(a).detail()).isEqualTo("claude-3-5-haiku → claude-sonnet-4-5");
        assertThat(driverSum(a)).isEqualByComparingTo(a.impactUsd());
        assertThat(a.impactUsd().signum()).isPositive();
        assertThat(a.explanation()).startsWith("support-reply cost per request +")
                .contains("since 2026-10-18 14:00")
                .contains("model mix claude-3-5-haiku → claude-sonnet-4-5 explains +");
    }

    @Test
    void shouldFindARetryStormAndResolveItWhenRetriesReturnToNormal() {
        List<Anomaly> found = month(RETRY_STORM);
        List<Anomaly> storm = opened(found, AnomalyKind.RETRY_STORM, "feature", "search-summarize");
        assertThat(storm).hasSize(1);
        Anomaly a = storm.get(0);
        assertThat(a.windowStart()).isEqualTo(Instant.parse("2026-10-12T09:00:00Z"));
        assertThat(a.unit()).isIn("retry_share", "error_rate");
        assertThat(a.actual()).isGreaterThan(0.15);
        assertThat(largestDriver(a).name()).isEqualTo("volume");
        assertThat(driverSum(a)).isEqualByComparingTo(a.impactUsd());
        assertThat(a.sources()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("retries");
            assertThat(s.amountUsd().signum()).isPositive();
        });
        assertThat(a.explanation()).startsWith("search-summarize ").contains(" since 2026-10-12 09:00")
                .contains("; retries cost $").endsWith("check the provider's status and the client's retry and timeout settings");
        assertThat(found).anySatisfy(r -> {
            assertThat(r.anomalyId()).isEqualTo(a.anomalyId());
            assertThat(r.state()).isEqualTo(Anomaly.RESOLVED);
            assertThat(r.windowEnd()).isEqualTo(Instant.parse("2026-10-12T14:00:00Z"));
        });
    }

    @Test
    void shouldFindACacheRegressionAsACacheHitDropDrivenByTokenShape() {
        List<Anomaly> found = month(CACHE_REGRESSION);
        List<Anomaly> drop = opened(found, AnomalyKind.CACHE_HIT_DROP, "feature", "code-review").stream()
                .filter(a -> a.model() == null).toList();
        assertThat(drop).hasSize(1);
        Anomaly a = drop.get(0);
        assertThat(a.windowStart()).isEqualTo(Instant.parse("2026-10-20T10:00:00Z"));
        assertThat(a.actual()).isLessThan(0.1);
        assertThat(a.expected()).isGreaterThan(0.6);
        assertThat(largestDriver(a).name()).isEqualTo("token_shape");
        assertThat(largestDriver(a).detail()).isEqualTo("cache misses");
        assertThat(driverSum(a)).isEqualByComparingTo(a.impactUsd());
        assertThat(a.explanation()).contains("cache reads").contains("cache misses explains +");
        // code-review uses one model: its feature × model series would only repeat the feature's.
        assertThat(opened(found, AnomalyKind.CACHE_HIT_DROP, "feature", "code-review")).hasSize(1);
    }

    @Test
    void shouldFindACustomerSpikeAsSpendSpikeDrivenByVolume() {
        List<Anomaly> found = month(CUSTOMER_SPIKE);
        List<Anomaly> spike = opened(found, AnomalyKind.SPEND_SPIKE, "customer", "globex");
        assertThat(spike).hasSize(1);
        Anomaly a = spike.get(0);
        assertThat(a.windowStart()).isBetween(Instant.parse("2026-10-15T08:00:00Z"), Instant.parse("2026-10-15T10:00:00Z"));
        assertThat(largestDriver(a).name()).isEqualTo("volume");
        assertThat(driverSum(a)).isEqualByComparingTo(a.impactUsd());
        assertThat(a.explanation()).startsWith("customer globex spend").contains("volume explains +$");
    }

    @Test
    void shouldFindACoverageDropNamingTheLargestUntaggedSource() {
        List<Anomaly> found = month(UNTAGGED_DAY);
        List<Anomaly> coverage = opened(found, AnomalyKind.COVERAGE_DROP, "global", "*");
        assertThat(coverage).hasSize(1);
        Anomaly a = coverage.get(0);
        assertThat(a.windowStart()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
        assertThat(a.windowEnd()).isEqualTo(Instant.parse("2026-10-26T00:00:00Z"));
        assertThat(a.actual()).isLessThan(0.9);
        assertThat(a.sources()).first().satisfies(s -> assertThat(s.name()).isEqualTo("customer - / prod / gpt-4o-mini"));
        assertThat(a.impactUsd().signum()).isPositive();
        assertThat(a.explanation()).startsWith("attribution coverage of 2026-10-25 ").contains("customer - / prod / gpt-4o-mini");
        assertThat(found).anySatisfy(r -> assertThat(r.state()).isEqualTo(Anomaly.RESOLVED));
    }

    @Test
    void shouldFindANewModelThatWasNeverPriced() {
        List<Anomaly> found = month(NEW_ALIAS);
        List<Anomaly> unpriced = opened(found, AnomalyKind.NEW_UNPRICED_MODEL, "model", "openai/gpt-5-preview");
        assertThat(unpriced).hasSize(1);
        assertThat(unpriced.get(0).windowStart()).isEqualTo(Instant.parse("2026-10-22T00:00:00Z"));
        assertThat(unpriced.get(0).sources()).first()
                .satisfies(s -> assertThat(s.name()).isEqualTo("feature search-summarize"));
        assertThat(unpriced.get(0).explanation()).isEqualTo("model openai/gpt-5-preview unpriced since 2026-10-22 00:00 and never"
                + " priced before (" + (long) unpriced.get(0).actual() + " requests in the latest hour, from feature search-summarize)"
                + "; they count as $0 until the price book has the model");
        assertThat(found).noneMatch(a -> a.kind() == AnomalyKind.NEW_UNPRICED_MODEL && !a.scopeId().equals("openai/gpt-5-preview"));
    }

    @Test
    void shouldFindLongerInputsAsATokenShapeChange() {
        List<Anomaly> found = month(DEEPER_RETRIEVAL);
        List<Anomaly> shape = opened(found, AnomalyKind.TOKEN_SHAPE_CHANGE, "feature", "code-review");
        assertThat(shape).hasSize(1);
        Anomaly a = shape.get(0);
        assertThat(a.model()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(a.unit()).isEqualTo("input_tokens_per_request");
        assertThat(a.actual() / a.expected()).isBetween(1.8, 2.2);
        assertThat(largestDriver(a).name()).isEqualTo("token_shape");
        assertThat(largestDriver(a).detail()).isEqualTo("longer inputs");
    }

    static List<Rollup> everythingPlanted() {
        return SeasonalMonth.generate(11, 30, MODEL_SWAP, RETRY_STORM, CACHE_REGRESSION, CUSTOMER_SPIKE, UNTAGGED_DAY, NEW_ALIAS);
    }

    @Test
    void shouldFindTheSameAnomaliesWhenTheSameMonthIsReplayed() {
        List<Rollup> rollups = everythingPlanted();
        List<Anomaly> first = SeasonalMonth.run(SETTINGS, rollups);
        List<Anomaly> second = SeasonalMonth.run(SETTINGS, rollups);
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    @Test
    void shouldFindTheSameAnomaliesWhateverOrderTheHoursArriveInWithinTheGrace() {
        List<Rollup> rollups = everythingPlanted();
        List<Anomaly> inOrder = SeasonalMonth.run(SETTINGS, rollups);
        // Each day's rollups in a random order: an hour arrives up to 23 hours late, within a 24-hour grace.
        Random random = new Random(42);
        Map<Long, List<Rollup>> byDay = rollups.stream().collect(Collectors.groupingBy(
                r -> r.getWindowStart().toEpochMilli() / (24 * SeasonalMonth.HOUR), java.util.TreeMap::new, Collectors.toList()));
        List<Rollup> shuffled = new ArrayList<>();
        for (List<Rollup> day : byDay.values()) {
            List<Rollup> copy = new ArrayList<>(day);
            Collections.shuffle(copy, random);
            shuffled.addAll(copy);
        }
        assertThat(SeasonalMonth.run(SETTINGS.withGraceHours(24), shuffled)).isEqualTo(inOrder);
    }

    @Test
    void shouldFindTheSameAnomaliesFromAFullyShuffledBackfill() {
        List<Rollup> rollups = everythingPlanted();
        List<Rollup> shuffled = new ArrayList<>(rollups);
        Collections.shuffle(shuffled, new Random(3));
        assertThat(SeasonalMonth.run(SETTINGS.withGraceHours(31 * 24), shuffled)).isEqualTo(SeasonalMonth.run(SETTINGS, rollups));
    }
}
