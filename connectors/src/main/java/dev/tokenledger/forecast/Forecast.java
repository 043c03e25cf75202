package dev.tokenledger.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A scope's forecast: one {@link ForecastDay} per day from {@code asOf}, how it was made ({@code method}: {@value
 * Forecaster#METHOD} or {@value Forecaster#INSUFFICIENT_HISTORY}) and what the method fitted, for the reader who wants
 * to know why.
 *
 * @param historyDays     days of history it stood on (from the first day with traffic)
 * @param weekdayFactors  Monday first, averaging 1; null for a run rate
 * @param trendPerDay     the undamped slope of log volume per day (0.01: about +1% a day)
 * @param unitCostUsd     the cost per request it used (before known changes after the history)
 * @param unitCostFrom    the day the recent unit cost is measured from (the latest shift), or null for all of it
 * @param volumeFrom      the day the volume's trend is measured from (the latest level shift), or null
 */
public record Forecast(String scope, LocalDate asOf, String method, int historyDays, List<ForecastDay> days,
                       double[] points, Backtest backtest, double[] weekdayFactors, double trendPerDay,
                       BigDecimal unitCostUsd, LocalDate unitCostFrom, LocalDate volumeFrom) {

    public Forecast {
        days = List.copyOf(days);
    }

    public boolean insufficientHistory() {
        return Forecaster.INSUFFICIENT_HISTORY.equals(method);
    }

    /** The last day forecast. */
    public LocalDate through() {
        return asOf.plusDays(days.size() - 1);
    }

    /**
     * The forecast spend of the days {@code from} to {@code through} (within the forecast) and its 80% band, measured
     * on the backtests of the same block of horizon steps.
     */
    public Band total(LocalDate from, LocalDate to) {
        int a = (int) ChronoUnit.DAYS.between(asOf, from) + 1;
        int b = (int) ChronoUnit.DAYS.between(asOf, to) + 1;
        if (a < 1 || b > days.size() || b < a) {
            throw new IllegalArgumentException("days " + from + ".." + to + " are not within the forecast "
                    + asOf + ".." + through());
        }
        double sum = 0;
        for (int h = a; h <= b; h++) {
            sum += points[h - 1];
        }
        double[] q = backtest.quantiles(a, b);
        return new Band(Forecaster.usd(sum),
                q == null ? null : Forecaster.usd(Math.max(0, sum * (1 + q[0]))),
                q == null ? null : Forecaster.usd(sum * (1 + q[1])));
    }

    /** How many rolling origins the band was measured on (0: no band). */
    public int backtestOrigins() {
        return backtest.origins();
    }
}
