package dev.tokenledger.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The pipeline's own counters, exported to Prometheus as {@code tokenledger_*}. Kafka Streams'
 * built-in metrics (lag, store latencies, dropped records) are bound separately.
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
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
            counter("tokenledger.events.unpriced", "provider", provider, "model", model).increment();
        } else {
            counter("tokenledger.events.priced").increment();
        }
    }

    public void attributed(String method) {
        counter("tokenledger.events.attributed", "method", method).increment();
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
