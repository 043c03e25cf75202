package dev.tokenledger.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Changes a {@link TrafficGenerator} plants in its traffic from a given event time on, for the anomaly
 * stage to find (docs/anomalies.md): a model swap, a retry storm, a cache regression and a customer
 * spike. The generator calls {@link #retryStorm} and {@link #reshape} on each new request once its event
 * time is drawn; with {@link #none()} they change nothing and draw nothing, so the generator's traffic is
 * exactly what it was without them. The plants draw from their own random stream, seeded from the
 * generator's seed, so planted traffic is deterministic too.
 *
 * <p>Event time matters: a series may alert only after its minimum history (a day for ratios, three days
 * for spend, by default), so {@link #demo} places the onsets after three days of traffic.
 */
public final class PlantedChanges {

    /** The feature whose calls move from claude-haiku-4-5 to claude-opus-4-1 (about 15 times the price per token). */
    public static final String MODEL_SWAP_FEATURE = "ticket-summarizer";
    /** The feature whose first attempts mostly fail and are retried. */
    public static final String RETRY_STORM_FEATURE = "semantic-search";
    /** The feature whose prompt edit breaks the cached prefix: cache reads stop. */
    public static final String CACHE_REGRESSION_FEATURE = "support-copilot";
    /**
     * The customer that suddenly sends most customer-facing calls. A mid-sized one: a customer's hourly spend is
     * noisy at the demo's volume (one long-context call moves it), so the spike must stand well above it.
     */
    public static final String SPIKE_CUSTOMER = "cust-010";

    private static final double SWAP_SHARE = 0.9;
    private static final double STORM_FAILURE_SHARE = 0.6;
    private static final double CACHE_MISS_SHARE = 0.95;
    private static final double SPIKE_SHARE = 0.8;

    /**
     * One planted change: what the anomaly stage should report, and the event-time window it is in.
     *
     * @param kind     the anomaly kind it should raise
     * @param scopeType the scope it should be raised on
     * @param scopeId  the feature or customer
     * @param from     the onset (an hour start)
     * @param until    the end (exclusive); {@link Instant#MAX} when it lasts
     */
    public record Change(String kind, String scopeType, String scopeId, Instant from, Instant until) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && t.isBefore(until);
        }
    }

    private final List<Change> changes;
    private final SplittableRandom random;
    private final Change swap;
    private final Change storm;
    private final Change cache;
    private final Change spike;

    private PlantedChanges(List<Change> changes, long seed) {
        this.changes = changes;
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.swap = find(changes, MODEL_SWAP_FEATURE);
        this.storm = find(changes, RETRY_STORM_FEATURE);
        this.cache = find(changes, CACHE_REGRESSION_FEATURE);
        this.spike = find(changes, SPIKE_CUSTOMER);
    }

    public static PlantedChanges none() {
        return new PlantedChanges(List.of(), 0);
    }

    /**
     * The four changes, at fixed hours after {@code start} (the generator's start), one after the other so
     * that each explanation names its own change: a retry storm in hours 78–83, the customer spike in hours
     * 84–89, the cache regression from hour 92 on and the model swap from hour 98 on. Every onset is past the
     * three days of history spend needs; traffic should run to at least hour 102 plus the stage's grace, so
     * that each is scored and the two that end resolve.
     */
    public static PlantedChanges demo(Instant start, long seed) {
        return new PlantedChanges(List.of(
                new Change("retry_storm", "feature", RETRY_STORM_FEATURE, hour(start, 78), hour(start, 84)),
                new Change("spend_spike", "customer", SPIKE_CUSTOMER, hour(start, 84), hour(start, 90)),
                new Change("cache_hit_drop", "feature", CACHE_REGRESSION_FEATURE, hour(start, 92), Instant.MAX),
                new Change("unit_cost_drift", "feature", MODEL_SWAP_FEATURE, hour(start, 98), Instant.MAX)), seed);
    }

    /** The planted changes, for a summary or a test to check against. */
    public List<Change> changes() {
        return changes;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Whether the new request {@code call} (event time drawn, not yet failed) should fail and be retried. */
    boolean retryStorm(CallDraft call) {
        return storm != null && storm.covers(call.timestamp) && RETRY_STORM_FEATURE.equals(call.feature)
                && "success".equals(call.status) && !call.batch && random.nextDouble() < STORM_FAILURE_SHARE;
    }

    /** Applies the model swap, the cache regression and the customer spike to a new request, by its event time. */
    void reshape(CallDraft call) {
        Instant t = call.timestamp;
        if (swap != null && swap.covers(t) && MODEL_SWAP_FEATURE.equals(call.feature)
                && call.model == Catalog.CLAUDE_HAIKU_4_5 && random.nextDouble() < SWAP_SHARE) {
            call.model = Catalog.CLAUDE_OPUS_4_1;
        }
        if (cache != null && cache.covers(t) && CACHE_REGRESSION_FEATURE.equals(call.feature)
                && call.cacheReadTokens > 0 && random.nextDouble() < CACHE_MISS_SHARE) {
            call.cacheReadTokens = 0;
        }
        if (spike != null && spike.covers(t) && call.customerId != null && random.nextDouble() < SPIKE_SHARE) {
            call.customerId = SPIKE_CUSTOMER;
        }
    }

    private static Instant hour(Instant start, int hours) {
        return start.plus(Duration.ofHours(hours));
    }

    private static Change find(List<Change> changes, String scopeId) {
        return changes.stream().filter(c -> c.scopeId().equals(scopeId)).findFirst().orElse(null);
    }
}
