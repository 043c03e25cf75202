package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The planted changes change only their feature or customer, only in their window, and nothing at all when there are none. */
class PlantedChangesTest {

    static final Instant START = Instant.parse("2026-11-14T00:00:00Z");
    /** Six days at about 500 events an hour, as the demo plays them. */
    static final GeneratorOptions OPTIONS = GeneratorOptions.defaults(42, START).withEventsPerSecondOfEventTime(72_000.0 / (6 * 86_400));
    static final PlantedChanges PLANTED = PlantedChanges.demo(START, 42);

    static List<UsageEvent> events(TrafficGenerator generator, int count) {
        List<UsageEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(generator.next());
        }
        return out;
    }

    static PlantedChanges.Change change(String scopeId) {
        return PLANTED.changes().stream().filter(c -> c.scopeId().equals(scopeId)).findFirst().orElseThrow();
    }

    /** The share of {@code events} of a window that match {@code test}, among those that match {@code of}. */
    static double share(List<UsageEvent> events, Instant from, Instant until, Predicate<UsageEvent> of, Predicate<UsageEvent> test) {
        List<UsageEvent> in = events.stream().filter(e -> !e.getTimestamp().isBefore(from) && e.getTimestamp().isBefore(until))
                .filter(of).toList();
        assertThat(in).hasSizeGreaterThan(50);
        return (double) in.stream().filter(test).count() / in.size();
    }

    @Test
    void shouldGenerateExactlyThePlainTrafficWithoutPlants() {
        assertThat(events(new TrafficGenerator(OPTIONS, PlantedChanges.none()), 20_000))
                .isEqualTo(events(new TrafficGenerator(OPTIONS), 20_000));
    }

    @Test
    void shouldPlantEachChangeInItsWindowOnly() {
        List<UsageEvent> planted = events(new TrafficGenerator(OPTIONS, PLANTED), 72_000);
        Instant before = START.plus(Duration.ofHours(24));
        Instant beforeEnd = START.plus(Duration.ofHours(72));

        PlantedChanges.Change swap = change(PlantedChanges.MODEL_SWAP_FEATURE);
        Predicate<UsageEvent> summarizer = e -> PlantedChanges.MODEL_SWAP_FEATURE.equals(e.getFeature());
        Predicate<UsageEvent> opus = e -> e.getRequestModel().equals(Catalog.CLAUDE_OPUS_4_1.requestModel());
        assertThat(share(planted, before, beforeEnd, summarizer, opus)).isZero();
        assertThat(share(planted, swap.from(), swap.from().plus(Duration.ofHours(24)), summarizer, opus)).isBetween(0.5, 0.75);

        PlantedChanges.Change storm = change(PlantedChanges.RETRY_STORM_FEATURE);
        Predicate<UsageEvent> search = e -> PlantedChanges.RETRY_STORM_FEATURE.equals(e.getFeature());
        Predicate<UsageEvent> retry = e -> e.getRetryOf() != null;
        assertThat(share(planted, before, beforeEnd, search, retry)).isLessThan(0.08);
        assertThat(share(planted, storm.from(), storm.until(), search, retry)).isGreaterThan(0.3);
        assertThat(share(planted, storm.until().plus(Duration.ofHours(1)), storm.until().plus(Duration.ofHours(7)), search, retry))
                .isLessThan(0.08);

        PlantedChanges.Change cache = change(PlantedChanges.CACHE_REGRESSION_FEATURE);
        Predicate<UsageEvent> copilot = e -> PlantedChanges.CACHE_REGRESSION_FEATURE.equals(e.getFeature());
        Predicate<UsageEvent> cacheRead = e -> e.getCacheReadInputTokens() > 0;
        assertThat(share(planted, before, beforeEnd, copilot, cacheRead)).isGreaterThan(0.5);
        assertThat(share(planted, cache.from(), cache.from().plus(Duration.ofHours(24)), copilot, cacheRead)).isLessThan(0.1);

        PlantedChanges.Change spike = change(PlantedChanges.SPIKE_CUSTOMER);
        Predicate<UsageEvent> customerFacing = e -> e.getCustomerId() != null;
        Predicate<UsageEvent> spiker = e -> PlantedChanges.SPIKE_CUSTOMER.equals(e.getCustomerId());
        assertThat(share(planted, before, beforeEnd, customerFacing, spiker)).isLessThan(0.15);
        assertThat(share(planted, spike.from(), spike.until(), customerFacing, spiker)).isGreaterThan(0.45);
    }
}
