package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Spend in one period measured against a budget. A threshold is reached at exactly its
 * percentage ({@code spend >= amount x pct / 100}), compared without rounding: the thresholds are
 * held rounded UP to the money scale, which is exact for the comparison because every spend is a
 * whole number of 1e-12 USD. Percent is truncated, so {@code 80.00} is shown only once 80% is reached.
 */
public record BudgetPosition(Period period, long periodStart, BigDecimal spend, Budget budget,
                             BigDecimal softThreshold, BigDecimal hardThreshold, BigDecimal percent,
                             BudgetState state, String action, BigDecimal projection) {

    public static final String NO_ACTION = "none";
    public static final String ALERT = "alert";

    /**
     * @param projection spend projected to period end, or null when there is none yet
     */
    public static BudgetPosition of(Period period, long periodStart, BigDecimal spend, BigDecimal projection, Budget budget) {
        BigDecimal amount = Money.of(budget.getAmountUsd()).toBigDecimal();
        BigDecimal soft = threshold(amount, budget.getSoftPct());
        BigDecimal hard = threshold(amount, budget.getHardPct());
        BigDecimal percent = amount.signum() == 0 ? null
                : spend.multiply(BigDecimal.valueOf(100)).divide(amount, 2, RoundingMode.DOWN);
        BudgetState state = spend.compareTo(hard) >= 0 ? BudgetState.HARD
                : spend.compareTo(soft) >= 0 ? BudgetState.SOFT : BudgetState.OK;
        String action = switch (state) {
            case HARD -> budget.getAction();
            case SOFT -> ALERT;
            case OK -> NO_ACTION;
        };
        return new BudgetPosition(period, periodStart, Money.of(spend).toBigDecimal(), budget, soft, hard, percent,
                state, action, projection);
    }

    /** {@code amount x pct / 100}, rounded up to the money scale. */
    public static BigDecimal threshold(BigDecimal amount, int pct) {
        return amount.multiply(BigDecimal.valueOf(pct)).movePointLeft(2).setScale(Money.SCALE, RoundingMode.CEILING);
    }

    public BigDecimal amount() {
        return Money.of(budget.getAmountUsd()).toBigDecimal();
    }

    public boolean softReached() {
        return spend.compareTo(softThreshold) >= 0;
    }

    public boolean hardReached() {
        return spend.compareTo(hardThreshold) >= 0;
    }

    /** The projection crosses the budget while spend has not: a forecast breach. */
    public boolean forecastBreached() {
        BigDecimal amount = amount();
        return projection != null && spend.compareTo(amount) < 0 && projection.compareTo(amount) >= 0;
    }

    public long periodEnd() {
        return period.end(periodStart);
    }

    public BudgetStatus toStatus(Long lastEventAt, long updatedAt) {
        return BudgetStatus.newBuilder()
                .setScopeType(budget.getScopeType())
                .setScopeId(budget.getScopeId())
                .setPeriod(period.id())
                .setPeriodStart(Instant.ofEpochMilli(periodStart))
                .setPeriodEnd(Instant.ofEpochMilli(periodEnd()))
                .setSpend(spend)
                .setBudget(amount())
                .setSoftThreshold(softThreshold)
                .setHardThreshold(hardThreshold)
                .setPercent(percent)
                .setState(state.id())
                .setAction(action)
                .setProjection(projection)
                .setOwner(budget.getOwner())
                .setLastEventAt(lastEventAt == null ? null : Instant.ofEpochMilli(lastEventAt))
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                .build();
    }

    /** The budget's own {@code scope_type:scope_id:period}: the key of its alerts on llm.alerts.budget.v1. */
    public static String budgetKey(Budget budget) {
        return budget.getScopeType() + ":" + budget.getScopeId() + ":" + budget.getPeriod();
    }

    /**
     * The key of a status on llm.budget-status.v1, {@code scope_type:scope_id:period:period_start} (the UTC
     * date the period starts): one record per period of spend, so a status about a past period never
     * replaces what the gateway is told about the current one, nor the other way round.
     */
    public static String statusKey(BudgetStatus s) {
        return s.getScopeType() + ":" + s.getScopeId() + ":" + s.getPeriod() + ":" + periodDay(s.getPeriodStart());
    }

    /** {@code yyyy-MM-dd} of a period start (always UTC midnight). */
    static String periodDay(Instant periodStart) {
        return periodStart.toString().substring(0, 10);
    }
}
