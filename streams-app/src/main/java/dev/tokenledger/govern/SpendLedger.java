package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.RateBucket;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Spend to date of one scope, per period: folds spend (the rollup stage's sums of calls) into the
 * {@link ScopeState} and measures it against a budget. Pure: no Kafka, no clock.
 *
 * <p>Each period keeps only its latest period (the newest month, the newest day) that events fell
 * in. A call from a later period starts a new one; a late call for a period that has already been
 * replaced counts nowhere here (the rollups and the warehouse still have it) and is reported so.
 *
 * <p>Spend is always counted. The detail behind it (top contributors, run rate) is kept only while
 * the scope has a budget: there may be a scope for every customer, and most have none, so the
 * state of the long tail stays a few numbers. Spend from before a budget existed shows as
 * untracked, and a new budget's forecast builds up with its run rate.
 */
public final class SpendLedger {

    private final RunRate rate;
    private final int contributorCapacity;

    public SpendLedger(GovernSettings settings) {
        this.rate = new RunRate(settings.forecastWindow());
        this.contributorCapacity = settings.contributorsTracked();
    }

    public static ScopeState emptyState(Scope scope) {
        return new ScopeState(scope.type(), scope.id(), null, null, new ArrayList<>(), new ArrayList<>());
    }

    /** The scope's latest period of this kind, or null; its lists can be changed in place. */
    public static PeriodSpend get(ScopeState state, Period period) {
        PeriodSpend spend = period == Period.MONTHLY ? state.getMonthly() : state.getDaily();
        if (spend != null && !(spend.getRaised() instanceof ArrayList)) {
            // Lists read back by Avro cannot remove through an iterator; the rules below do.
            spend.setRaised(new ArrayList<>(spend.getRaised()));
            spend.setContributors(new ArrayList<>(spend.getContributors()));
        }
        return spend;
    }

    private static List<RateBucket> rateBuckets(ScopeState state) {
        if (!(state.getRateBuckets() instanceof ArrayList)) {
            state.setRateBuckets(new ArrayList<>(state.getRateBuckets()));
        }
        return state.getRateBuckets();
    }

    private static void set(ScopeState state, Period period, PeriodSpend spend) {
        if (period == Period.MONTHLY) {
            state.setMonthly(spend);
        } else {
            state.setDaily(spend);
        }
    }

    /**
     * Counts the call in each period, and in the run rate when {@code detailed}.
     *
     * @param detailed whether the scope has a budget, so contributors and run rate are kept
     * @return per {@link Period#ordinal()}, the period spend it was counted in, or null when the
     *         call belongs to a period this scope has already left behind
     */
    public PeriodSpend[] add(ScopeState state, GovernSpend call, boolean detailed) {
        long t = call.getEventTime().toEpochMilli();
        BigDecimal cost = Money.of(call.getCost()).toBigDecimal();
        PeriodSpend[] counted = new PeriodSpend[Period.values().length];
        for (Period period : Period.values()) {
            counted[period.ordinal()] = add(state, period, call, t, cost, detailed);
        }
        if (detailed) {
            rate.add(rateBuckets(state), t, cost);
            MonthlyForecast.add(state, t, call.getCalls(), cost);
        } else {
            if (!state.getRateBuckets().isEmpty()) {
                state.setRateBuckets(new ArrayList<>());
            }
            if (!state.getDailyHistory().isEmpty()) {
                state.setDailyHistory(new ArrayList<>());
            }
        }
        return counted;
    }

    private PeriodSpend add(ScopeState state, Period period, GovernSpend call, long t, BigDecimal cost, boolean detailed) {
        long start = period.start(t);
        PeriodSpend current = get(state, period);
        if (current != null && start < current.getPeriodStart().toEpochMilli()) {
            return null;
        }
        if (current == null || start > current.getPeriodStart().toEpochMilli()) {
            current = fresh(period, start, current);
            set(state, period, current);
        }
        current.setSpend(Money.of(current.getSpend()).plus(Money.of(cost)).toBigDecimal());
        current.setEvents(current.getEvents() + call.getCalls());
        if (t > current.getLastEventAt().toEpochMilli()) {
            current.setLastEventAt(call.getEventTime());
        }
        if (detailed) {
            String contributor = "model".equals(Contributors.dimension(state.getScopeType())) ? call.getModel() : call.getFeature();
            current.setUntracked(Contributors.add(current.getContributors(), current.getUntracked(), contributor, cost,
                    contributorCapacity));
        } else {
            current.setUntracked(Money.of(current.getUntracked()).plus(Money.of(cost)).toBigDecimal());
        }
        return current;
    }

    /** A new period with no spend; what the gateway was last told carries over. */
    static PeriodSpend fresh(Period period, long start, PeriodSpend previous) {
        return PeriodSpend.newBuilder()
                .setPeriod(period.id())
                .setPeriodStart(Instant.ofEpochMilli(start))
                .setSpend(Money.ZERO.toBigDecimal())
                .setEvents(0)
                .setLastEventAt(Instant.ofEpochMilli(start))
                .setContributors(new ArrayList<>())
                .setUntracked(Money.ZERO.toBigDecimal())
                .setRaised(new ArrayList<>())
                .setTold(previous == null ? null : previous.getTold())
                .build();
    }

    /**
     * The period's spend measured against {@code budget}, projected at its newest call: a month by the forecaster
     * once the scope has {@value dev.tokenledger.forecast.Forecaster#MIN_HISTORY_DAYS} complete days of daily
     * history ({@link MonthlyForecast}), otherwise (and a day always) from the run rate.
     */
    public BudgetPosition position(ScopeState state, Period period, Budget budget) {
        PeriodSpend spend = get(state, period);
        long start = spend.getPeriodStart().toEpochMilli();
        long t = spend.getLastEventAt().toEpochMilli();
        BigDecimal forecast = spend.getEvents() == 0 || period != Period.MONTHLY ? null
                : MonthlyForecast.projection(state, spend.getSpend(), t, period.end(start));
        BigDecimal projection = spend.getEvents() == 0 ? null
                : forecast != null ? forecast
                : rate.projection(spend.getSpend(), state.getRateBuckets(), t, period.end(start));
        return BudgetPosition.of(period, start, spend.getSpend(), projection, budget);
    }

    /**
     * Where the scope stands in the period that is current at {@code now}: its spend when the
     * newest period it saw is that one, otherwise nothing spent yet in the new period.
     */
    public BudgetPosition current(ScopeState state, Period period, Budget budget, long now) {
        PeriodSpend spend = state == null ? null : get(state, period);
        if (spend == null || !isCurrent(period, spend, now)) {
            return BudgetPosition.of(period, period.start(now), Money.ZERO.toBigDecimal(), null, budget);
        }
        return position(state, period, budget);
    }

    /** True when {@code spend} is the period that is current at {@code now} (or a later one). */
    public static boolean isCurrent(Period period, PeriodSpend spend, long now) {
        return spend.getPeriodStart().toEpochMilli() >= period.start(now);
    }

    public RunRate rate() {
        return rate;
    }

    /** Total of tracked and untracked contributors: equals the period's spend. */
    public static BigDecimal contributorTotal(PeriodSpend spend) {
        Money sum = Money.of(spend.getUntracked());
        for (var c : spend.getContributors()) {
            sum = sum.plus(Money.of(c.getSpend()));
        }
        return sum.toBigDecimal();
    }
}
