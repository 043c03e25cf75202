package dev.tokenledger.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The pipeline's own counters, exported to Prometheus as {@code tokenledger_*}. Kafka Streams'
 * built-in metrics (lag, store latencies, dropped records) are bound separately.
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    /** Team and feature combinations with their own spend series; more are reported as {@code _other}. */
    public static final int SPEND_SERIES_LIMIT = 500;
    /** Provider and model combinations with their own unpriced series. */
    public static final int UNPRICED_SERIES_LIMIT = 200;
    private final BoundedLabels spendLabels = new BoundedLabels(SPEND_SERIES_LIMIT);
    private final BoundedLabels unpricedLabels = new BoundedLabels(UNPRICED_SERIES_LIMIT);
    private final ConcurrentMap<List<String>, ExactSum> spend = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Counters without free labels exist from the start at zero: a series that appears only with its first
        // increment is one Prometheus' increase() cannot see, so an alert on it would miss the first event.
        counter("tokenledger.duplicates.absorbed");
        counter("tokenledger.events.priced");
        for (String response : List.of("replaced", "shutdown")) {
            counter("tokenledger.stream.thread.failures", "response", response);
        }
    }

    /** Counters kept in memory only; for tests and tools that do not export. */
    public static PipelineMetrics inMemory() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    /** Also counted outside this class, by the deserialization handler Kafka Streams instantiates itself. */
    public static final String REFERENCE_REJECTED = "tokenledger.reference.rejected";

    public MeterRegistry registry() {
        return registry;
    }

    public void eventRead(String topic) {
        counter("tokenledger.events.read", "topic", topic).increment();
    }

    public void deadLettered(String reason) {
        counter("tokenledger.dlq.records", "reason", reason).increment();
    }

    public void duplicateAbsorbed() {
        counter("tokenledger.duplicates.absorbed").increment();
    }

    /** Duplicates absorbed so far, without a registry search (a harness asks after every record it sends). */
    public long duplicatesAbsorbed() {
        return (long) counter("tokenledger.duplicates.absorbed").count();
    }

    /**
     * A store write that the store would discard, because its window is older than the store keeps.
     * The retentions are derived so that this cannot happen for an accepted event; if it ever does,
     * it is counted and logged, never silent.
     */
    public void storeWriteDropped(String store) {
        counter("tokenledger.store.writes.dropped", "store", store).increment();
    }

    /**
     * A reference-data record (price book, ownership, budgets) that was not applied: the version in
     * force stays, the stream goes on, and the count shows on /health and in metrics.
     */
    public void referenceRejected(String topic, String reason) {
        counter(REFERENCE_REJECTED, "topic", topic, "reason", reason).increment();
    }

    /** Reference-data records not applied since start, over every topic and reason (budgets included). */
    public static long referenceRejected(MeterRegistry registry) {
        return total(registry, REFERENCE_REJECTED) + total(registry, "tokenledger.govern.budgets.rejected");
    }

    public void priced(boolean unpriced, String provider, String model) {
        if (unpriced) {
            List<String> labels = unpricedLabels.bound(provider, model);
            counter("tokenledger.events.unpriced", "provider", labels.get(0), "model", labels.get(1)).increment();
        } else {
            counter("tokenledger.events.priced").increment();
        }
    }

    public void attributed(String method) {
        counter("tokenledger.events.attributed", "method", method).increment();
    }

    /**
     * The cost of one priced call, by the team and feature it was attributed to and how
     * ({@code tagged}, {@code api_key}, {@code default}): {@code rate()} of it is spend per second, and
     * the share not attributed by {@code default} is the attribution coverage. Summed exactly
     * (BigDecimal); the double is made only when Prometheus reads it, for graphs, never for money.
     */
    public void spent(String team, String feature, String attribution, BigDecimal usd) {
        List<String> labels = spendLabels.bound(team, feature);
        List<String> key = List.of(labels.get(0), labels.get(1), attribution);
        spend.computeIfAbsent(key, k -> {
            ExactSum sum = new ExactSum();
            FunctionCounter.builder("tokenledger.spend.usd", sum, ExactSum::asDouble)
                    .description("priced cost in USD by attributed team and feature")
                    .tags("team", k.get(0), "feature", k.get(1), "attribution", k.get(2)).register(registry);
            return sum;
        }).add(usd);
    }

    /** A stream thread failed: {@code replaced} by a new one, or {@code shutdown} when no replacement was left. */
    public void streamThreadFailed(String response) {
        counter("tokenledger.stream.thread.failures", "response", response).increment();
    }

    /** An exact running sum, read as a double by the metric only. */
    private static final class ExactSum {
        private BigDecimal total = BigDecimal.ZERO;

        synchronized void add(BigDecimal usd) {
            total = total.add(usd);
        }

        synchronized double asDouble() {
            return total.doubleValue();
        }
    }

    /** Records the validate stage has read, over every input topic. */
    public long eventsRead() {
        return total(registry, "tokenledger.events.read");
    }

    /** One counter summed over all its tags. */
    private static long total(MeterRegistry registry, String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private Counter counter(String name, String... tags) {
        String id = tags.length == 0 ? name : name + String.join(",", tags);
        return counters.computeIfAbsent(id, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
