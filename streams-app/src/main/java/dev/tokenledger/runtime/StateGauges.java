package dev.tokenledger.runtime;

import dev.tokenledger.anomaly.AnomalyKind;
import dev.tokenledger.anomaly.AnomalyProcessor;
import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.govern.BudgetProcessor;
import dev.tokenledger.govern.BudgetState;
import dev.tokenledger.govern.Period;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Gauges read from this instance's state stores when Prometheus scrapes: budgets by the state their
 * gateways were last told ({@code tokenledger_budgets{period,state}}) and anomalies open or updated
 * ({@code tokenledger_anomalies_open{kind}}). Only active tasks' stores are read, so summing over
 * instances counts each budget and anomaly once, and a task that moves is counted where it runs now.
 * The label values are fixed sets (periods, states, kinds): a gauge per combination, registered up
 * front. A store not queryable at the moment (rebalancing, or the anomaly stage disabled) keeps the
 * last figures. The gauges hold this object strongly: Micrometer's default weak reference would let it
 * be collected and the gauges read NaN.
 */
public final class StateGauges {

    /** One scan serves every gauge of a scrape. */
    private static final long SNAPSHOT_MILLIS = 5_000;
    private static final Set<String> OPEN_STATES = Set.of("open", "updated");

    private final KafkaStreams streams;
    private Map<String, Long> budgets = Map.of();
    private Map<String, Long> anomalies = Map.of();
    private long takenAt; // 0: never (Long.MIN_VALUE would overflow the age below)

    private StateGauges(KafkaStreams streams) {
        this.streams = streams;
    }

    public static void bind(KafkaStreams streams, MeterRegistry registry) {
        StateGauges gauges = new StateGauges(streams);
        for (Period period : Period.values()) {
            for (BudgetState state : BudgetState.values()) {
                String key = period.id() + "|" + state.id();
                Gauge.builder("tokenledger.budgets", gauges, g -> g.budgets(key))
                        .description("budget scopes by the state of their latest period, as last published")
                        .tags("period", period.id(), "state", state.id()).strongReference(true).register(registry);
            }
        }
        for (AnomalyKind kind : AnomalyKind.values()) {
            Gauge.builder("tokenledger.anomalies.open", gauges, g -> g.anomalies(kind.id()))
                    .description("anomalies whose latest state is open or updated")
                    .tags("kind", kind.id()).strongReference(true).register(registry);
        }
    }

    private synchronized double budgets(String key) {
        refresh();
        return budgets.getOrDefault(key, 0L);
    }

    private synchronized double anomalies(String kind) {
        refresh();
        return anomalies.getOrDefault(kind, 0L);
    }

    private void refresh() {
        long now = System.currentTimeMillis();
        if (now - takenAt < SNAPSHOT_MILLIS) {
            return;
        }
        takenAt = now;
        try {
            budgets = countBudgets();
        } catch (InvalidStateStoreException e) {
            // rebalancing or not yet running: the previous figures stand
        }
        try {
            anomalies = countAnomalies();
        } catch (InvalidStateStoreException e) {
            // the anomaly stage is off, or its task is moving
        }
    }

    private Map<String, Long> countBudgets() {
        ReadOnlyKeyValueStore<String, ScopeState> store = streams.store(StoreQueryParameters
                .fromNameAndType(BudgetProcessor.SCOPE_STORE, QueryableStoreTypes.<String, ScopeState>keyValueStore()));
        Map<String, Long> counts = new HashMap<>();
        try (KeyValueIterator<String, ScopeState> all = store.all()) {
            while (all.hasNext()) {
                ScopeState scope = all.next().value;
                for (PeriodSpend period : new PeriodSpend[] {scope.getMonthly(), scope.getDaily()}) {
                    if (period != null && period.getTold() != null) {
                        counts.merge(period.getPeriod() + "|" + period.getTold().getState(), 1L, Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    private Map<String, Long> countAnomalies() {
        ReadOnlyKeyValueStore<String, AnomalyAlert> store = streams.store(StoreQueryParameters
                .fromNameAndType(AnomalyProcessor.PUBLISHED_STORE, QueryableStoreTypes.<String, AnomalyAlert>keyValueStore()));
        Map<String, Long> counts = new HashMap<>();
        try (KeyValueIterator<String, AnomalyAlert> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, AnomalyAlert> next = all.next();
                if (OPEN_STATES.contains(next.value.getState())) {
                    counts.merge(next.value.getKind(), 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
