package dev.tokenledger.aggregate;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 5, first half: folds the priced calls of this task into partial hourly rollups and sends
 * them on every {@code flushInterval}, so the rollup stage receives one record per (hour, dimension
 * key) per interval instead of one per call. The repartition hop, serializing and reading back a
 * full priced event, was the largest cost of the aggregate stage; a partial is a few sums.
 *
 * <p>Exactly once: partials live in a changelogged store ({@code rollup-partial-store}), written on
 * every call, so a commit between two flushes persists them with the input offsets; the flush
 * forwards and deletes them in the same transaction. The map in front of the store holds the same
 * partials as live objects (reading them back from bytes per call would cost what this saves); it
 * is rebuilt from the store whenever the task initializes, so partials restored after a crash are
 * sent by the next flush.
 *
 * <p>The store's key is {@code windowStartMs|dimensions}. Partials carry the hourly window and the dimension key; the rollup stage adds each into its
 * hourly window and into the day that hour belongs to, so both granularities stay exact sums.
 */
public final class RollupPartialProcessor implements Processor<String, PricedUsage, String, Rollup> {

    public static final String STORE = "rollup-partial-store";

    private final Duration flushInterval;
    private final Map<String, Rollup> partials = new HashMap<>();
    private ProcessorContext<String, Rollup> context;
    private KeyValueStore<String, Rollup> store;

    public RollupPartialProcessor(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, Rollup> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        partials.clear();
        try (KeyValueIterator<String, Rollup> restored = store.all()) {
            restored.forEachRemaining(kv -> partials.put(kv.key, kv.value));
        }
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage priced = record.value();
        String dims = RollupKeys.dimensions(priced);
        long start = Granularity.HOURLY.windowStart(priced.getEvent().getTimestamp().toEpochMilli());
        String key = start + "|" + dims;
        Rollup partial = partials.computeIfAbsent(key, k -> RollupMath.empty(Granularity.HOURLY, start, dims));
        store.put(key, RollupMath.add(partial, priced));
    }

    /** Sends every partial to the rollup stage, keyed by its dimensions, and starts afresh. */
    void flush() {
        for (Map.Entry<String, Rollup> e : partials.entrySet()) {
            Rollup partial = e.getValue();
            String key = e.getKey();
            context.forward(new Record<>(key.substring(key.indexOf('|') + 1), partial,
                    partial.getLastEventAt().toEpochMilli()));
            store.delete(key);
        }
        partials.clear();
    }

    @Override
    public void close() {
        partials.clear();
    }
}
