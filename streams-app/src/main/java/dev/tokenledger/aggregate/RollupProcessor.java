package dev.tokenledger.aggregate;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5: tumbling hourly and daily rollups per dimension key, on event time.
 *
 * <p>Why not the DSL's windowed aggregate: it drops records that arrive after the grace period,
 * silently but for a metric. Here a late event is folded into its window for as long as the
 * stores retain it (the validate stage refuses, with a reason, anything older), and the corrected
 * rollup is re-emitted under the same key, so the warehouse upsert replaces the old value.
 *
 * <p>Changed rollups are remembered in {@code rollup-pending-store} and emitted every
 * {@code emitInterval} of wall-clock time, so a busy window is written once per interval rather
 * than once per event. The pending set is a changelogged store, not a field, so under
 * exactly-once a crash can never lose an update that the stores already committed.
 */
public final class RollupProcessor implements Processor<String, PricedUsage, String, Rollup> {

    public static final String HOURLY_STORE = "rollup-hourly-store";
    public static final String DAILY_STORE = "rollup-daily-store";
    public static final String PENDING_STORE = "rollup-pending-store";

    private static final Logger LOG = LoggerFactory.getLogger(RollupProcessor.class);

    private final Duration emitInterval;
    private final long retentionMs;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, Rollup> context;
    private WindowStore<String, Rollup> hourly;
    private WindowStore<String, Rollup> daily;
    private KeyValueStore<String, Long> pending;

    /** @param retention how long the hourly and daily stores keep windows ({@code Retention#rollupStores}) */
    public RollupProcessor(Duration emitInterval, Duration retention, PipelineMetrics metrics) {
        this.emitInterval = emitInterval;
        this.retentionMs = retention.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Rollup> context) {
        this.context = context;
        this.hourly = context.getStateStore(HOURLY_STORE);
        this.daily = context.getStateStore(DAILY_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emitPending());
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        long t = record.value().getEvent().getTimestamp().toEpochMilli();
        fold(Granularity.HOURLY, hourly, record.key(), t, record.value());
        fold(Granularity.DAILY, daily, record.key(), t, record.value());
    }

    private void fold(Granularity g, WindowStore<String, Rollup> store, String dims, long t, PricedUsage priced) {
        long start = g.windowStart(t);
        // The task's stream time is at least the store's, so a window this old may be discarded by
        // the store: say so loudly (validation's horizon is meant to make this impossible).
        if (start <= context.currentStreamTimeMs() - retentionMs) {
            metrics.storeWriteDropped(g == Granularity.HOURLY ? HOURLY_STORE : DAILY_STORE);
            LOG.error("{} window {} of {} is older than the store keeps ({} ms); the rollup may miss request {}",
                    g, java.time.Instant.ofEpochMilli(start), dims, retentionMs, priced.getEvent().getRequestId());
        }
        Rollup current = store.fetch(dims, start);
        Rollup updated = RollupMath.add(current == null ? RollupMath.empty(g, start, dims) : current, priced);
        store.put(dims, updated, start);
        pending.put(RollupKeys.rollupKey(g, start, dims), start);
    }

    /** Emits every rollup changed since the last emission, then forgets it. */
    void emitPending() {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = pending.all()) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, Long> kv : due) {
            RollupKeys.Parsed key = RollupKeys.parse(kv.key);
            WindowStore<String, Rollup> store = key.granularity() == Granularity.HOURLY ? hourly : daily;
            Rollup rollup = store.fetch(key.dimensions(), key.windowStartMs());
            if (rollup != null) {
                context.forward(new Record<>(kv.key, rollup, rollup.getLastEventAt().toEpochMilli()));
            }
            pending.delete(kv.key);
        }
    }

    @Override
    public void close() {
        // Nothing to flush by hand: pending keys survive in their store and are emitted after restart.
    }
}
