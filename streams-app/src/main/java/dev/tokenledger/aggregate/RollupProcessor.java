package dev.tokenledger.aggregate;

import dev.tokenledger.avro.Rollup;
import dev.tokenledger.metrics.PipelineMetrics;
import java.time.Duration;
import java.time.Instant;
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
 * Stage 5: tumbling hourly and daily rollups per dimension key, on event time, and the spend the
 * budget stage counts.
 *
 * <p>Per call, one write: the call is added to the sum of its (hour, workload, dimensions) in
 * {@code rollup-delta-store}, whose cache absorbs the repeats between two commits. Every
 * {@code flushInterval} of wall-clock time those sums are folded into the hourly and daily window
 * stores, forwarded to the budget stage as one {@link RollupOutput.Spend} each, and forgotten; the
 * windows they changed are remembered in {@code rollup-pending-store} and emitted every
 * {@code emitInterval}, so a busy window is written to {@code llm.rollups.v1} once per interval.
 * Both sets are changelogged stores, not fields, so under exactly-once a crash loses nothing the
 * input offsets already count as done.
 *
 * <p>Why not the DSL's windowed aggregate: it drops records that arrive after the grace period,
 * silently but for a metric. Here a late event is folded into its window for as long as the
 * stores retain it (the validate stage refuses, with a reason, anything older), and the corrected
 * rollup is re-emitted under the same key, so the warehouse upsert replaces the old value.
 */
public final class RollupProcessor implements Processor<String, SpendDelta, String, RollupOutput> {

    public static final String HOURLY_STORE = "rollup-hourly-store";
    public static final String DAILY_STORE = "rollup-daily-store";
    public static final String DELTA_STORE = "rollup-delta-store";
    public static final String PENDING_STORE = "rollup-pending-store";

    private static final Logger LOG = LoggerFactory.getLogger(RollupProcessor.class);

    private final Duration flushInterval;
    private final Duration emitInterval;
    private final long retentionMs;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, RollupOutput> context;
    private WindowStore<String, Rollup> hourly;
    private WindowStore<String, Rollup> daily;
    private KeyValueStore<String, SpendDelta> deltas;
    private KeyValueStore<String, Long> pending;

    /**
     * @param flushInterval how often summed spend reaches the windows and the budget stage (its latency)
     * @param emitInterval how often changed rollups are written out
     * @param retention how long the hourly and daily stores keep windows ({@code Retention#rollupStores})
     */
    public RollupProcessor(Duration flushInterval, Duration emitInterval, Duration retention, PipelineMetrics metrics) {
        this.flushInterval = flushInterval;
        this.emitInterval = emitInterval;
        this.retentionMs = retention.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, RollupOutput> context) {
        this.context = context;
        this.hourly = context.getStateStore(HOURLY_STORE);
        this.daily = context.getStateStore(DAILY_STORE);
        this.deltas = context.getStateStore(DELTA_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emitPending());
    }

    @Override
    public void process(Record<String, SpendDelta> record) {
        SpendDelta call = record.value();
        long hour = Granularity.HOURLY.windowStart(call.lastEventAtMs());
        String key = RollupKeys.deltaKey(hour, call.workload(), record.key());
        SpendDelta sum = deltas.get(key);
        deltas.put(key, sum == null ? call : sum.plus(call));
    }

    /** Folds every pending sum into its windows and hands it to the budget stage, then forgets it. */
    void flush() {
        List<KeyValue<String, SpendDelta>> due = new ArrayList<>();
        try (KeyValueIterator<String, SpendDelta> it = deltas.all()) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, SpendDelta> kv : due) {
            RollupKeys.ParsedDelta key = RollupKeys.parseDelta(kv.key);
            fold(Granularity.HOURLY, hourly, key.dimensions(), key.hourStartMs(), kv.value);
            fold(Granularity.DAILY, daily, key.dimensions(), key.hourStartMs(), kv.value);
            context.forward(new Record<>(key.dimensions(), new RollupOutput.Spend(kv.value), kv.value.lastEventAtMs()));
            deltas.delete(kv.key);
        }
    }

    private void fold(Granularity g, WindowStore<String, Rollup> store, String dims, long t, SpendDelta spend) {
        long start = g.windowStart(t);
        // The task's stream time is at least the store's, so a window this old may be discarded by
        // the store: say so loudly (validation's horizon is meant to make this impossible).
        if (start <= context.currentStreamTimeMs() - retentionMs) {
            metrics.storeWriteDropped(g == Granularity.HOURLY ? HOURLY_STORE : DAILY_STORE);
            LOG.error("{} window {} of {} is older than the store keeps ({} ms); the rollup may miss request {}",
                    g, Instant.ofEpochMilli(start), dims, retentionMs, spend.lastRequestId());
        }
        Rollup current = store.fetch(dims, start);
        Rollup updated = RollupMath.add(current == null ? RollupMath.empty(g, start, dims) : current, spend);
        store.put(dims, updated, start);
        pending.put(RollupKeys.rollupKey(g, start, dims), start);
    }

    /** Emits every rollup changed since the last emission (after folding what is pending), then forgets it. */
    void emitPending() {
        flush();
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = pending.all()) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, Long> kv : due) {
            RollupKeys.Parsed key = RollupKeys.parse(kv.key);
            WindowStore<String, Rollup> store = key.granularity() == Granularity.HOURLY ? hourly : daily;
            Rollup rollup = store.fetch(key.dimensions(), key.windowStartMs());
            if (rollup != null) {
                context.forward(new Record<>(kv.key, new RollupOutput.Window(rollup), rollup.getLastEventAt().toEpochMilli()));
            }
            pending.delete(kv.key);
        }
    }

    @Override
    public void close() {
        // Nothing to flush by hand: pending sums and windows survive in their stores and go out after restart.
    }
}
