package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;

/**
 * Spend to date of one scope, per period: folds calls into the {@link ScopeState} and measures it
 * against a budget. Pure: no Kafka, no clock.
 *
 * <p>Each period keeps only its latest period (the newest month, the newest day) that events fell
 * in. A call from a later period starts a new one; a late call for a period that has already been
 * replaced counts nowhere here (the rollups and the warehouse still have it) and is reported so.
 */
public final class SpendLedger {

    private final RunRate monthlyRate;
    private final RunRate dailyRate;
    private final int contributorCapacity;

    public SpendLedger(GovernSettings settings) {
        this.monthlyRate = new RunRate(settings.forecastWindow(Period.MONTHLY));
        this.dailyRate = new RunRate(settings.forecastWindow(Period.DAILY));
        this.contributorCapacity = settings.contributorsTracked();
    }

    public static ScopeState emptyState(Scope scope) {
        return new ScopeState(scope.type(), scope.id(), null, null);
    }

    /** The scope's latest period of this kind, or null; its lists can be changed in place. */
    public static PeriodSpend get(ScopeState state, Period period) {
        PeriodSpend spend = period == Period.MONTHLY ? state.getMonthly() : state.getDaily();
        if (spend != null && !(spend.getRaised() instanceof ArrayList)) {
            // Lists read back by Avro cannot remove through an iterator; the rules below do.
            spend.setRaised(new ArrayList<>(spend.getRaised()));
            spend.setRateBuckets(new ArrayList<>(spend.getRateBuckets()));
            spend.setContributors(new ArrayList<>(spend.getContributors()));
        }
        return spend;
    }

    private static void set(ScopeState state, Period period, PeriodSpend spend) {
        if (period == Period.MONTHLY) {
            state.setMonthly(spend);
        } else {
            state.setDaily(spend);
        }
    }

    /**
     * Counts the call in {@code period}.
     *
     * @return the period spend it was counted in, or null when the call belongs to a period this
     *         scope has already left behind
     */
    public PeriodSpend add(ScopeState state, Period period, GovernSpend call) {
        long t = call.getEventTime().toEpochMilli();
        long start = period.start(t);
        PeriodSpend current = get(state, period);
        if (current != null && start < current.getPeriodStart().toEpochMilli()) {
            return null;
        }
        if (current == null || start > current.getPeriodStart().toEpochMilli()) {
            current = fresh(period, start, current);
            set(state, period, current);
        }
        BigDecimal cost = Money.of(call.getCost()).toBigDecimal();
        current.setSpend(Money.of(current.getSpend()).plus(Money.of(cost)).toBigDecimal());
        current.setEvents(current.getEvents() + 1);
        if (t > current.getLastEventAt().toEpochMilli()) {
            current.setLastEventAt(call.getEventTime());
        }
        String contributor = "model".equals(Contributors.dimension(state.getScopeType())) ? call.getModel() : call.getFeature();
        current.setUntracked(Contributors.add(current.getContributors(), current.getUntracked(), contributor, cost,
                contributorCapacity));
        rate(period).add(current.getRateBuckets(), t, cost);
        return current;
    }

    /** A new period with no spend; the run rate and what the gateway was last told carry over. */
    static PeriodSpend fresh(Period period, long start, PeriodSpend previous) {
        return PeriodSpend.newBuilder()
                .setPeriod(period.id())
                .setPeriodStart(java.time.Instant.ofEpochMilli(start))
                .setSpend(Money.ZERO.toBigDecimal())
                .setEvents(0)
                .setLastEventAt(java.time.Instant.ofEpochMilli(start))
                .setContributors(new ArrayList<>())
                .setUntracked(Money.ZERO.toBigDecimal())
                .setRaised(new ArrayList<>())
                .setRateBuckets(previous == null ? new ArrayList<>() : new ArrayList<>(previous.getRateBuckets()))
                .setTold(previous == null ? null : previous.getTold())
                .build();
    }

    /** The period's spend measured against {@code budget}, projected from the run rate at its newest call. */
    public BudgetPosition position(Period period, PeriodSpend spend, Budget budget) {
        long start = spend.getPeriodStart().toEpochMilli();
        BigDecimal projection = spend.getEvents() == 0 ? null
                : rate(period).projection(spend.getSpend(), spend.getRateBuckets(), spend.getLastEventAt().toEpochMilli(),
                        period.end(start));
        return BudgetPosition.of(period, start, spend.getSpend(), projection, budget);
    }

    /**
     * Where the scope stands in the period that is current at {@code now}: its spend when the
     * newest period it saw is that one, otherwise nothing spent yet in the new period.
     */
    public BudgetPosition current(Period period, PeriodSpend spend, Budget budget, long now) {
        long currentStart = period.start(now);
        if (spend == null || spend.getPeriodStart().toEpochMilli() < currentStart) {
            return BudgetPosition.of(period, currentStart, Money.ZERO.toBigDecimal(), null, budget);
        }
        return position(period, spend, budget);
    }

    /** True when {@code spend} is the period that is current at {@code now} (or a later one). */
    public static boolean isCurrent(Period period, PeriodSpend spend, long now) {
        return spend.getPeriodStart().toEpochMilli() >= period.start(now);
    }

    public RunRate rate(Period period) {
        return period == Period.MONTHLY ? monthlyRate : dailyRate;
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
