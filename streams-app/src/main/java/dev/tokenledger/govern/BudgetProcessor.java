package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.ScopeState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Spend to date per budget scope, breaches, and the status the gateway is told.
 *
 * <p>Input: one record per (spend sum, scope), keyed {@code scope_type:scope_id}, so all of a scope's
 * state is in this task: the rollup stage's sums of calls, never single calls, named after the newest
 * call in the sum. Per sum and period: fold the cost into the period, measure it against the
 * budget in force (read from the {@link BudgetBook} at that moment, so an edit applies from then
 * on), raise every threshold newly reached once, and tell the gateway at once when the state or the
 * action changes. When only the spend moved, the scope is marked in {@code govern-status-pending-store}
 * and its status refreshed every {@code status-refresh}, so a busy scope is not re-published per sum.
 *
 * <p>Every {@code reconcile-interval} of wall-clock time the budgets are compared with those seen
 * before: an edited, added or removed budget is applied to its scope's current spend (possibly
 * raising, or re-arming, thresholds; a removed budget's status is deleted). At each UTC day
 * boundary every budgeted scope is re-checked, so a scope whose period ended with no further calls
 * is told that the new period starts at ok, and a gateway blocking it lets traffic through again.
 *
 * <p>Statuses and alerts both describe the period of the calls that caused them (event time), and a
 * status is keyed by that period ({@link BudgetPosition#statusKey}): what the gateway was told about
 * November stays November's, whatever the wall clock says when the calls are processed, and a replay of
 * old traffic never replaces the status of the period in force. "Now" (the later of the wall clock and
 * stream time) only decides when a new period has begun without calls, to tell the gateway it starts at ok.
 */
public final class BudgetProcessor implements Processor<String, GovernSpend, String, GovernOutput> {

    public static final String SCOPE_STORE = "govern-scope-store";
    public static final String PENDING_STORE = "govern-status-pending-store";
    private static final int CACHED_SCOPES = 1024;

    private final GovernSettings settings;
    private final SpendLedger ledger;
    private final GovernMetrics metrics;
    private ProcessorContext<String, GovernOutput> context;
    private KeyValueStore<String, ScopeState> scopes;
    private KeyValueStore<String, Long> pending;
    private final BudgetBook budgets;
    /** Budgets as of the last reconcile (or of init: global stores are restored before tasks start). */
    private Map<String, Budget> budgetsSeen;
    private long reconciledDay = Long.MIN_VALUE;
    private final Map<String, ScopeState> cache = new LinkedHashMap<>(CACHED_SCOPES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ScopeState> eldest) {
            return size() > CACHED_SCOPES;
        }
    };

    public BudgetProcessor(GovernSettings settings, BudgetBook budgets, GovernMetrics metrics) {
        this.settings = settings;
        this.budgets = budgets;
        this.ledger = new SpendLedger(settings);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, GovernOutput> context) {
        this.context = context;
        this.scopes = context.getStateStore(SCOPE_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.cache.clear();
        this.budgetsSeen = budgets.snapshot();
        this.reconciledDay = Long.MIN_VALUE;
        context.schedule(settings.reconcileInterval(), PunctuationType.WALL_CLOCK_TIME, t -> reconcile());
        context.schedule(settings.statusRefresh(), PunctuationType.WALL_CLOCK_TIME, t -> refreshPending());
    }

    @Override
    public void process(Record<String, GovernSpend> record) {
        Scope scope = Scope.parse(record.key());
        if (scope == null || record.value() == null) {
            return;
        }
        GovernSpend call = record.value();
        ScopeState state = Objects.requireNonNullElseGet(load(scope), () -> SpendLedger.emptyState(scope));
        long now = now();
        Budget[] inForce = new Budget[Period.values().length];
        boolean budgeted = false;
        for (Period period : Period.values()) {
            String budgetKey = scope.budgetKey(period);
            Budget budget = budgets.get(budgetKey);
            if (budget != null) {
                // A budget added and removed between two reconciles must still be seen to go.
                budgetsSeen.putIfAbsent(budgetKey, budget);
                budgeted = true;
            }
            inForce[period.ordinal()] = budget;
        }
        PeriodSpend[] counted = ledger.add(state, call, budgeted);
        boolean refreshDue = false;
        for (Period period : Period.values()) {
            if (counted[period.ordinal()] == null) {
                metrics.lateForClosedPeriod();
                continue;
            }
            refreshDue |= govern(state, period, inForce[period.ordinal()], now, call.getRequestId(),
                    call.getEventTime().toEpochMilli(), false);
        }
        save(scope, state);
        if (refreshDue) {
            pending.put(scope.key(), now);
        }
    }

    /**
     * Measures one period against its budget: alerts for thresholds newly reached, the status at
     * once if it changed materially.
     *
     * @return true when only the figures moved and a coalesced refresh is due
     */
    private boolean govern(ScopeState state, Period period, Budget budget, long now, String requestId, long eventTime,
                           boolean budgetEdited) {
        PeriodSpend spend = SpendLedger.get(state, period);
        if (budget == null) {
            forget(spend, now);
            return false;
        }
        BudgetPosition position = ledger.position(state, period, budget);
        BreachRules.rearm(position, spend.getRaised(), budgetEdited);
        for (AlertKind kind : BreachRules.newlyBreached(position, spend.getRaised())) {
            BudgetAlert alert = Alerts.budget(kind, position, spend, budget.getScopeType(), requestId, eventTime, now);
            context.forward(new Record<>(BudgetPosition.budgetKey(budget), new GovernOutput.Alert(alert), eventTime));
            metrics.alertRaised(kind);
        }
        return tell(spend, position.toStatus(spend.getLastEventAt().toEpochMilli(), now), now);
    }

    /**
     * Publishes {@code status} when it differs from what the gateway was told in anything but the
     * figures (state, action, budget, thresholds, period, owner).
     *
     * @return true when only the figures differ
     */
    private boolean tell(PeriodSpend spend, BudgetStatus status, long now) {
        BudgetStatus told = spend.getTold();
        if (told == null || materiallyChanged(told, status)) {
            publish(spend, status, now);
            return false;
        }
        return !sameFigures(told, status);
    }

    private void publish(PeriodSpend spend, BudgetStatus status, long now) {
        BudgetStatus told = spend.getTold();
        // Same period under another key (a global budget renamed): the old key goes. An earlier
        // period's status stays: it is what the gateway was told about that period.
        if (told != null && told.getPeriodStart().equals(status.getPeriodStart())
                && !statusKey(told).equals(statusKey(status))) {
            context.forward(new Record<>(statusKey(told), new GovernOutput.Status(null), now));
        }
        context.forward(new Record<>(statusKey(status), new GovernOutput.Status(status), now));
        spend.setTold(status);
        metrics.statusEmitted(status.getState());
    }

    /** The budget is gone: so is its status. */
    private void forget(PeriodSpend spend, long now) {
        if (spend.getTold() != null) {
            context.forward(new Record<>(statusKey(spend.getTold()), new GovernOutput.Status(null), now));
            spend.setTold(null);
        }
    }

    /** Re-publishes the statuses of scopes whose spend moved since they were last told. */
    void refreshPending() {
        long now = now();
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = pending.all()) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, Long> kv : due) {
            Scope scope = Scope.parse(kv.key);
            ScopeState state = load(scope);
            if (state != null) {
                for (Period period : Period.values()) {
                    PeriodSpend spend = SpendLedger.get(state, period);
                    Budget budget = budgets.get(scope.budgetKey(period));
                    if (spend == null || budget == null) {
                        continue;
                    }
                    BudgetStatus status = ledger.position(state, period, budget).toStatus(spend.getLastEventAt().toEpochMilli(), now);
                    if (spend.getTold() == null || materiallyChanged(spend.getTold(), status) || !sameFigures(spend.getTold(), status)) {
                        publish(spend, status, now);
                    }
                }
                save(scope, state);
            }
            pending.delete(kv.key);
        }
    }

    /** Applies budget edits, and at each new UTC day re-checks every budgeted scope for a finished period. */
    void reconcile() {
        long now = now();
        long day = Period.DAILY.start(now);
        Map<String, Budget> seen = budgets.snapshot();
        Set<String> edited = new HashSet<>();
        seen.forEach((k, b) -> {
            if (!b.equals(budgetsSeen.get(k))) {
                edited.add(k);
            }
        });
        budgetsSeen.keySet().stream().filter(k -> !seen.containsKey(k)).forEach(edited::add);
        Set<String> toCheck = new HashSet<>(edited);
        if (day != reconciledDay) {
            toCheck.addAll(seen.keySet());
        }
        budgetsSeen = seen;
        reconciledDay = day;
        for (String key : toCheck) {
            Scope.BudgetRef ref = Scope.parseBudgetKey(key);
            ScopeState state = ref == null ? null : load(ref.scope());
            PeriodSpend spend = state == null ? null : SpendLedger.get(state, ref.period());
            if (spend == null) {
                continue;
            }
            Budget budget = seen.get(key);
            if (budget == null) {
                forget(spend, now);
            } else if (SpendLedger.isCurrent(ref.period(), spend, now)) {
                govern(state, ref.period(), budget, now, null, spend.getLastEventAt().toEpochMilli(), edited.contains(key));
            } else {
                tell(spend, ledger.current(state, ref.period(), budget, now).toStatus(null, now), now);
            }
            save(ref.scope(), state);
        }
    }

    /**
     * The scope's state, from a small cache of live objects in front of the store: the hot scopes
     * (global, the big teams) see every call, and reading them back from bytes each time would cost
     * more than the rest of the stage. Safe because this processor is the store's only writer and
     * the cache starts empty whenever the task (re)initializes, after its stores are restored.
     */
    private ScopeState load(Scope scope) {
        ScopeState state = cache.get(scope.key());
        if (state == null) {
            state = scopes.get(scope.key());
            if (state != null) {
                cache.put(scope.key(), state);
            }
        }
        return state;
    }

    private void save(Scope scope, ScopeState state) {
        scopes.put(scope.key(), state);
        cache.put(scope.key(), state);
    }

    private long now() {
        return Math.max(context.currentSystemTimeMs(), context.currentStreamTimeMs());
    }

    @Override
    public void close() {
        cache.clear();
    }

    static String statusKey(BudgetStatus s) {
        return BudgetPosition.statusKey(s);
    }

    static boolean materiallyChanged(BudgetStatus told, BudgetStatus now) {
        return !told.getState().equals(now.getState())
                || !told.getAction().equals(now.getAction())
                || !told.getBudget().equals(now.getBudget())
                || !told.getSoftThreshold().equals(now.getSoftThreshold())
                || !told.getHardThreshold().equals(now.getHardThreshold())
                || !told.getPeriodStart().equals(now.getPeriodStart())
                || !Objects.equals(told.getOwner(), now.getOwner())
                || !statusKey(told).equals(statusKey(now));
    }

    static boolean sameFigures(BudgetStatus told, BudgetStatus now) {
        return told.getSpend().equals(now.getSpend())
                && Objects.equals(told.getPercent(), now.getPercent())
                && Objects.equals(told.getProjection(), now.getProjection())
                && Objects.equals(told.getLastEventAt(), now.getLastEventAt());
    }
}
