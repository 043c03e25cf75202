package dev.tokenledger.aggregate;

import dev.tokenledger.avro.Rollup;
import dev.tokenledger.metrics.PipelineMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * <p>Per call, one write: the call is added to the sums of its (hour, workload, dimensions) in
 * {@code rollup-delta-store}, whose cache absorbs the repeats between two commits. Every
 * {@code governInterval} of wall-clock time the sums not yet told are handed to the budget stage,
 * one {@link RollupOutput.Spend} each; every {@code emitInterval} all sums are folded into the
 * hourly and daily window stores, each changed rollup is written to {@code llm.rollups.v1} once,
 * the same sums per (provider, day, model) go to the reconcile stage, and the sums are forgotten. The sums are a changelogged store, not a field, so under
 * exactly-once a crash loses nothing the input offsets already count as done.
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

    private static final Logger LOG = LoggerFactory.getLogger(RollupProcessor.class);

    private final Duration governInterval;
    private final Duration emitInterval;
    private final long retentionMs;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, RollupOutput> context;
    private WindowStore<String, Rollup> hourly;
    private WindowStore<String, Rollup> daily;
    private KeyValueStore<String, PendingSpend> sums;
    /**
     * What {@code sums} holds, as live objects: the store is the truth (written on every change, and
     * this processor is its only writer), this copy spares each call a read and a decode, and the
     * punctuations a RocksDB iterator over every tombstone the last emission left. Rebuilt from the
     * store whenever the task (re)initializes.
     */
    private final Map<String, PendingSpend> live = new HashMap<>();
    /** The keys whose sum has calls the budget stage has not been told of, in key order (replays tell alike). */
    private final Set<String> untold = new TreeSet<>();

    /**
     * @param governInterval how often summed spend reaches the budget stage (most of its latency)
     * @param emitInterval how often the sums are folded into the windows and changed rollups written out
     * @param retention how long the hourly and daily stores keep windows ({@code Retention#rollupStores})
     */
    public RollupProcessor(Duration governInterval, Duration emitInterval, Duration retention, PipelineMetrics metrics) {
        this.governInterval = governInterval;
        this.emitInterval = emitInterval;
        this.retentionMs = retention.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, RollupOutput> context) {
        this.context = context;
        this.hourly = context.getStateStore(HOURLY_STORE);
        this.daily = context.getStateStore(DAILY_STORE);
        this.sums = context.getStateStore(DELTA_STORE);
        live.clear();
        untold.clear();
        try (KeyValueIterator<String, PendingSpend> it = sums.all()) {
            it.forEachRemaining(kv -> {
                live.put(kv.key, kv.value);
                if (kv.value.ungoverned() != null) {
                    untold.add(kv.key);
                }
            });
        }
        context.schedule(governInterval, PunctuationType.WALL_CLOCK_TIME, now -> tellBudgets());
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, SpendDelta> record) {
        SpendDelta call = record.value();
        long hour = Granularity.HOURLY.windowStart(call.lastEventAtMs());
        String key = RollupKeys.deltaKey(hour, call.workload(), record.key());
        PendingSpend pending = live.get(key);
        PendingSpend updated = pending == null ? new PendingSpend(call, call) : pending.plus(call);
        sums.put(key, updated);
        live.put(key, updated);
        untold.add(key);
    }

    /** Hands every sum the budget stage has not been told yet to it. */
    void tellBudgets() {
        for (String key : untold) {
            PendingSpend pending = live.get(key);
            SpendDelta spend = pending.ungoverned();
            String dims = RollupKeys.parseDelta(key).dimensions();
            context.forward(new Record<>(dims, new RollupOutput.Spend(spend), spend.lastEventAtMs()));
            PendingSpend governed = pending.governed();
            sums.put(key, governed);
            live.put(key, governed);
        }
        untold.clear();
    }

    /** Folds every sum into its windows, writes each changed rollup once, and forgets the sums. */
    void emit() {
        tellBudgets();
        Map<String, Long> changed = new TreeMap<>();
        Map<String, SpendDelta> modelDays = new TreeMap<>();
        for (var entry : live.entrySet()) {
            String k = entry.getKey();
            RollupKeys.ParsedDelta key = RollupKeys.parseDelta(k);
            SpendDelta spend = entry.getValue().unemitted();
            if (spend != null) {
                fold(Granularity.HOURLY, hourly, key.dimensions(), key.hourStartMs(), spend, changed);
                fold(Granularity.DAILY, daily, key.dimensions(), key.hourStartMs(), spend, changed);
                modelDays.merge(RollupKeys.modelDayKey(key.dimensions(), Granularity.DAILY.windowStart(key.hourStartMs())),
                        spend, SpendDelta::plus);
            }
            sums.delete(k);
        }
        live.clear();
        changed.forEach((rollupKey, start) -> {
            RollupKeys.Parsed key = RollupKeys.parse(rollupKey);
            WindowStore<String, Rollup> store = key.granularity() == Granularity.HOURLY ? hourly : daily;
            Rollup rollup = store.fetch(key.dimensions(), start);
            context.forward(new Record<>(rollupKey, new RollupOutput.Window(rollup), rollup.getLastEventAt().toEpochMilli()));
        });
        modelDays.forEach((key, spend) -> context.forward(new Record<>(key, new RollupOutput.ModelDay(spend), spend.lastEventAtMs())));
    }

    private void fold(Granularity g, WindowStore<String, Rollup> store, String dims, long t, SpendDelta spend,
                      Map<String, Long> changed) {
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
        changed.put(RollupKeys.rollupKey(g, start, dims), start);
    }

    @Override
    public void close() {
        // Nothing to flush by hand: the sums survive in their store and go out after restart.
    }
}
