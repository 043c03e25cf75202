package dev.tokenledger.anomaly;

import dev.tokenledger.aggregate.Granularity;
import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.Rollup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 */
public final class AnomalyProcessor implements Processor<String, Rollup, String, AnomalyAlert> {

    public static final String STORE = "anomaly-rollup-store";
    private static final String HOURLY = Granularity.HOURLY.label();

    private final AnomalyConfig config;
    private ProcessorContext<String, AnomalyAlert> context;
    private KeyValueStore<String, Rollup> store;
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
    }

    @Override
    public void process(Record<String, Rollup> record) {
        Rollup r = record.value();
        if (r == null || !HOURLY.equals(r.getGranularity())) {
            return;
        }
        long hour = r.getWindowStart().toEpochMilli();
        if (hour >= engine.retainedFromMs()) {
            store.put(storeKey(hour, record.key() != null ? record.key() : dimensions(r)), r);
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
        context.forward(new Record<>(a.anomalyId(), AnomalyAlerts.toAvro(a), a.windowEnd().toEpochMilli()));
    }

    /** Forgets the rollups of hours the engine no longer retains. */
    private void prune() {
        long from = engine.retainedFromMs();
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
        prunedBelow = from;
    }

    static String storeKey(long hourStartMs, String rollupKey) {
        return String.format("%015d|%s", hourStartMs, rollupKey);
    }

    private static String dimensions(Rollup r) {
        return String.join("|", r.getTeam(), r.getFeature(), r.getCustomerId(), r.getEnvironment(), r.getProvider(), r.getModel());
    }
}
