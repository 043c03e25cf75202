package dev.tokenledger.govern;

import dev.tokenledger.avro.DaySpend;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.forecast.DailySpend;
import dev.tokenledger.forecast.Forecast;
import dev.tokenledger.forecast.Forecaster;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A budgeted scope's month-end projection through the same forecaster as {@code report forecast}
 * ({@link Forecaster}, docs/forecasting.md), from the scope's spend per UTC day kept in its {@link ScopeState}: the
 * latest {@value #HISTORY_DAYS} days (about 0.5 KB a budgeted scope), enough for weekday factors, the trend window
 * and a month-end horizon. Pure: no Kafka, no clock.
 *
 * <p>The projection at a call at {@code t}: the period's spend, plus the forecast of {@code t}'s day times the share
 * of that day still to come, plus the forecast of every later day to the period's end. The forecast stands on the
 * complete days before {@code t}'s day only; with fewer than {@value Forecaster#MIN_HISTORY_DAYS} of them the
 * forecaster's answer is {@code insufficient_history}, and the stage keeps projecting from its trailing run rate
 * ({@link RunRate}), which is that answer's plain run rate measured over the last hours instead of the last days.
 */
final class MonthlyForecast {

    static final int HISTORY_DAYS = 42;
    private static final long DAY_MS = 86_400_000L;
    private static final Forecaster FORECASTER = new Forecaster();

    private MonthlyForecast() {
    }

    /** Adds a sum of {@code calls} costing {@code cost} at event time {@code t} to its day; older days drop out. */
    static void add(ScopeState state, long t, long calls, BigDecimal cost) {
        if (!(state.getDailyHistory() instanceof ArrayList)) {
            state.setDailyHistory(new ArrayList<>(state.getDailyHistory()));
        }
        List<DaySpend> days = state.getDailyHistory();
        long day = Math.floorDiv(t, DAY_MS) * DAY_MS;
        long newest = days.isEmpty() ? day : Math.max(day, days.get(days.size() - 1).getDay().toEpochMilli());
        long oldestKept = newest - (HISTORY_DAYS - 1) * DAY_MS;
        days.removeIf(d -> d.getDay().toEpochMilli() < oldestKept);
        if (day < oldestKept) {
            return; // older than the history: counted in the period's spend, not in the forecast's series
        }
        int i = 0;
        while (i < days.size() && days.get(i).getDay().toEpochMilli() < day) {
            i++;
        }
        if (i < days.size() && days.get(i).getDay().toEpochMilli() == day) {
            DaySpend d = days.get(i);
            d.setCalls(d.getCalls() + calls);
            d.setSpend(Money.of(d.getSpend()).plus(Money.of(cost)).toBigDecimal());
        } else {
            days.add(i, new DaySpend(Instant.ofEpochMilli(day), calls, Money.of(cost).toBigDecimal()));
        }
    }

    /**
     * {@code spend} plus the forecast from {@code t} to {@code periodEnd}, at the money scale; null when the history
     * is too short for the forecaster (the caller projects from the run rate then).
     */
    static BigDecimal projection(ScopeState state, BigDecimal spend, long t, long periodEnd) {
        if (t >= periodEnd) {
            return Money.of(spend).toBigDecimal();
        }
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC);
        LocalDate lastDay = LocalDate.ofInstant(Instant.ofEpochMilli(periodEnd - 1), ZoneOffset.UTC);
        List<DailySpend> history = new ArrayList<>(state.getDailyHistory().size());
        for (DaySpend d : state.getDailyHistory()) {
            history.add(new DailySpend(LocalDate.ofInstant(d.getDay(), ZoneOffset.UTC), d.getCalls(), d.getSpend()));
        }
        Forecast forecast = FORECASTER.pointForecast(state.getScopeType() + ":" + state.getScopeId(), history, today,
                lastDay, List.of());
        if (forecast.insufficientHistory()) {
            return null;
        }
        long todayEnd = Math.min(Math.floorDiv(t, DAY_MS) * DAY_MS + DAY_MS, periodEnd);
        BigDecimal toCome = forecast.days().get(0).forecastUsd().multiply(BigDecimal.valueOf(todayEnd - t))
                .divide(BigDecimal.valueOf(DAY_MS), Money.SCALE, RoundingMode.HALF_EVEN);
        for (int i = 1; i < forecast.days().size(); i++) {
            toCome = toCome.add(forecast.days().get(i).forecastUsd());
        }
        return Money.of(spend).toBigDecimal().add(toCome).setScale(Money.SCALE, RoundingMode.HALF_EVEN);
    }
}
