package dev.tokenledger.anomaly;

import dev.tokenledger.aggregate.Granularity;
import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.Rollup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The anomaly stage's one processor: every hourly rollup of the pipeline (one partition) into an
 * {@link AnomalyEngine}; the anomaly states it returns out, keyed by anomaly id, stamped with their
 * event time (the end of the window they describe).
 *
 * <p>State: the engine is rebuilt, not persisted. {@link #STORE} keeps every hourly rollup the engine
 * retains (the latest per window and dimensions, keyed {@code zero-padded hour start|rollup key}, so
 * the store's order is event-time order), and {@link #init} replays them in that order into a fresh
 * engine without forwarding. The engine is a function of the rollups it was given, in event-time
 * order within the grace, so the rebuilt engine holds the baselines, open anomalies and closed hours
 * the lost one held, and a crash under exactly_once_v2 (store and output in one transaction) neither
 * repeats nor loses an emission. Why not persist the baselines and the tracker instead: they are
 * derived, rewritten every closed hour for every series (about 6 KB each), where the rollups are
 * written once per changed window; and one source of truth cannot drift from another. The price is a
 * replay on start (the retained history, four weeks plus a day of hourly rollups).
 *
 * <p>Planned changes ({@link AnomalyConfig#isPlanned}) are acknowledged as they open, live and in the
 * replay alike. An anomaly acknowledged during the replay (an entry added while it was open) has its
 * state published once after the start, so the warehouse learns it; a republished state is the same
 * record under the same key.
 *
 * <p>Late rollups. A rollup for an hour the engine has already scored (later than the grace, as in a
 * shuffled backfill) is stored and marks the stage dirty from its hour ({@link #DIRTY_STORE}, so a
 * crash does not forget it); a wall-clock punctuation ({@link #REBUILD_EVERY}, only when dirty) then
 * rebuilds a fresh engine from {@link #STORE} in event-time order, which is what in-order processing
 * of the same rollups would have built, and compares the latest state per anomaly it yields with the
 * last state published ({@link #PUBLISHED_STORE}): a changed one is published, one no longer yielded
 * is published as {@code withdrawn}. Only anomalies with a window ending after the dirty hour are
 * compared: a rollup of hour H changes nothing scored before H. The store keeps
 * {@link #REPLAY_MARGIN_HOURS} more than the engine needs, so a backfill of any calendar month is
 * replayed whole and its latest states are exactly the in-order ones; live, in-order processing never
 * rebuilds.
 */
public final class AnomalyProcessor implements Processor<String, Rollup, String, AnomalyAlert> {

    public static final String STORE = "anomaly-rollup-store";
    /** Anomaly id → the last state published, to compare a rebuild with. */
    public static final String PUBLISHED_STORE = "anomaly-published-store";
    /** {@link #DIRTY_KEY} → the oldest hour start a late rollup arrived for since the last rebuild. */
    public static final String DIRTY_STORE = "anomaly-dirty-store";
    static final String DIRTY_KEY = "dirty-from";
    static final Duration REBUILD_EVERY = Duration.ofSeconds(5);
    /** Kept beyond the engine's retained history: 29 + 7 days covers a 31-day month's backfill. */
    static final long REPLAY_MARGIN_HOURS = 7 * 24L;
    private static final long HOUR_MS = Baseline.HOUR_MS;
    private static final String HOURLY = Granularity.HOURLY.label();

    private final AnomalyConfig config;
    private ProcessorContext<String, AnomalyAlert> context;
    private KeyValueStore<String, Rollup> store;
    private KeyValueStore<String, AnomalyAlert> published;
    private KeyValueStore<String, Long> dirty;
    private AnomalyEngine engine;
    /** Hour starts below this have been pruned from the store. */
    private long prunedBelow = Long.MIN_VALUE;
    private Cancellable republish;

    public AnomalyProcessor(AnomalyConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, AnomalyAlert> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.published = context.getStateStore(PUBLISHED_STORE);
        this.dirty = context.getStateStore(DIRTY_STORE);
        this.engine = new AnomalyEngine(config.settings());
        Set<String> acknowledgedInReplay = new TreeSet<>();
        try (KeyValueIterator<String, Rollup> it = store.all()) {
            while (it.hasNext()) {
                for (Anomaly a : acknowledgePlanned(engine.accept(it.next().value))) {
                    if (Anomaly.ACKNOWLEDGED.equals(a.state())) {
                        acknowledgedInReplay.add(a.anomalyId());
                    }
                }
            }
        }
        if (!acknowledgedInReplay.isEmpty()) {
            // Forwarding is not allowed in init: the first punctuation publishes them, once.
            republish = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, now -> {
                for (Anomaly a : engine.openAnomalies()) {
                    if (acknowledgedInReplay.contains(a.anomalyId()) && Anomaly.ACKNOWLEDGED.equals(a.state())) {
                        forward(a);
                    }
                }
                republish.cancel();
            });
        }
        context.schedule(REBUILD_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> rebuildIfDirty());
    }

    @Override
    public void process(Record<String, Rollup> record) {
        Rollup r = record.value();
        if (r == null || !HOURLY.equals(r.getGranularity())) {
            return;
        }
        long hour = r.getWindowStart().toEpochMilli();
        if (hour >= storedFromMs()) {
            store.put(storeKey(hour, record.key() != null ? record.key() : dimensions(r)), r);
            if (engine.isClosed(hour)) {
                Long from = dirty.get(DIRTY_KEY);
                if (from == null || hour < from) {
                    dirty.put(DIRTY_KEY, hour);
                }
            }
        }
        for (Anomaly a : acknowledgePlanned(engine.accept(r))) {
            forward(a);
        }
        prune();
    }

    private List<Anomaly> acknowledgePlanned(List<Anomaly> states) {
        if (config.planned().isEmpty() || states.isEmpty()) {
            return states;
        }
        List<Anomaly> out = new ArrayList<>(states.size() + 1);
        for (Anomaly a : states) {
            out.add(a);
            if (Anomaly.OPEN.equals(a.state()) && config.isPlanned(a.anomalyId())) {
                engine.acknowledge(a.anomalyId()).ifPresent(out::add);
            }
        }
        return out;
    }

    private void forward(Anomaly a) {
        forward(AnomalyAlerts.toAvro(a));
    }

    private void forward(AnomalyAlert alert) {
        published.put(alert.getAnomalyId(), alert);
        context.forward(new Record<>(alert.getAnomalyId(), alert, alert.getWindowEnd().toEpochMilli()));
    }

    /**
     * Rebuilds the engine from the store in event-time order and publishes, for every anomaly with a window
     * ending after the dirty hour, the latest state the rebuild yields where it differs from the one published,
     * or {@code withdrawn} where the rebuild yields none. The rebuilt engine replaces the live one.
     */
    private void rebuildIfDirty() {
        Long from = dirty.get(DIRTY_KEY);
        if (from == null) {
            return;
        }
        AnomalyEngine rebuilt = new AnomalyEngine(config.settings());
        this.engine = rebuilt;
        Map<String, AnomalyAlert> latest = new TreeMap<>();
        try (KeyValueIterator<String, Rollup> it = store.all()) {
            while (it.hasNext()) {
                for (Anomaly a : acknowledgePlanned(rebuilt.accept(it.next().value))) {
                    latest.put(a.anomalyId(), AnomalyAlerts.toAvro(a));
                }
            }
        }
        long after = from + HOUR_MS;
        List<AnomalyAlert> changes = new ArrayList<>();
        for (AnomalyAlert a : latest.values()) {
            if (a.getWindowEnd().toEpochMilli() >= after && !a.equals(published.get(a.getAnomalyId()))) {
                changes.add(a);
            }
        }
        try (KeyValueIterator<String, AnomalyAlert> it = published.all()) {
            while (it.hasNext()) {
                AnomalyAlert p = it.next().value;
                if (p.getWindowEnd().toEpochMilli() >= after && !Anomaly.WITHDRAWN.equals(p.getState())) {
                    AnomalyAlert now = latest.get(p.getAnomalyId());
                    if (now == null) {
                        changes.add(AnomalyAlert.newBuilder(p).setState(Anomaly.WITHDRAWN).build());
                    } else if (now.getWindowEnd().toEpochMilli() < after && !now.equals(p)) {
                        // The rebuild's latest state ends before the dirty hour: the later ones published were wrong.
                        changes.add(now);
                    }
                }
            }
        }
        changes.forEach(this::forward);
        dirty.delete(DIRTY_KEY);
        prune();
    }

    /** The oldest hour start kept in the store: the engine's retained history plus the replay margin. */
    private long storedFromMs() {
        long from = engine.retainedFromMs();
        return from == Long.MIN_VALUE ? from : from - REPLAY_MARGIN_HOURS * HOUR_MS;
    }

    /** Forgets the rollups of hours the store no longer keeps, and the published states that ended before them. */
    private void prune() {
        long from = storedFromMs();
        if (from <= prunedBelow) {
            return;
        }
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Rollup> it = store.range(storeKey(0, ""), storeKey(from, ""))) {
            while (it.hasNext()) {
                old.add(it.next().key);
            }
        }
        old.forEach(store::delete);
        List<String> ended = new ArrayList<>();
        try (KeyValueIterator<String, AnomalyAlert> it = published.all()) {
            while (it.hasNext()) {
                KeyValue<String, AnomalyAlert> kv = it.next();
                if (kv.value.getWindowEnd().toEpochMilli() < from) {
                    ended.add(kv.key);
                }
            }
        }
        ended.forEach(published::delete);
        prunedBelow = from;
    }

    static String storeKey(long hourStartMs, String rollupKey) {
        return String.format("%015d|%s", hourStartMs, rollupKey);
    }

    private static String dimensions(Rollup r) {
        return String.join("|", r.getTeam(), r.getFeature(), r.getCustomerId(), r.getEnvironment(), r.getProvider(), r.getModel());
    }
}
