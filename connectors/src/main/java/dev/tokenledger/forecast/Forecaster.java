package dev.tokenledger.forecast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Forecasts a scope's daily spend as volume (requests a day) x unit cost (cost per request), from its daily
 * history. The method (docs/forecasting.md has it with its measured accuracy):
 *
 * <ul>
 *   <li>weekday factors: per weekday, the median of each day's requests over the centred 7-day mean around it
 *       (the last {@value #SEASON_DAYS} days), normalised to average 1;</li>
 *   <li>trend: the Theil–Sen slope of the deseasonalised log volume over the last {@value #TREND_DAYS} days after
 *       the latest level shift ({@link ChangePoints}), damped: step h adds slope x (phi + phi^2 + ... + phi^h),
 *       phi = {@value #DAMPING}, so a trend flattens out instead of compounding for a quarter;</li>
 *   <li>level: the median, over the last {@value #LEVEL_DAYS} days, of the detrended log volume;</li>
 *   <li>unit cost: the cost per request (sums, not a median of days) of the last {@value #LEVEL_DAYS} days after the latest shift in the
 *       unit cost, detected or given as a {@link KnownChange} dated in the history; a known change dated later
 *       multiplies the unit cost from its date;</li>
 *   <li>band: the 10% and 90% quantiles of the relative errors of rolling-origin backtests (the same method from
 *       each of up to {@value #BACKTEST_ORIGINS} past days, with only the days before it) at the same horizon step,
 *       or over the same block of steps for a period total.</li>
 * </ul>
 *
 * Below {@value #MIN_HISTORY_DAYS} days of history (counted from the first day with traffic) the method is
 * {@value #INSUFFICIENT_HISTORY}: every day is the plain run rate, the mean daily spend so far, with no band.
 * Statistics are doubles (a forecast is an estimate); amounts come out as BigDecimal rounded half-even to
 * {@value #SCALE} decimals.
 */
public final class Forecaster {

    public static final String METHOD = "volume_x_unit_cost";
    public static final String INSUFFICIENT_HISTORY = "insufficient_history";
    public static final int MIN_HISTORY_DAYS = 14;
    /** Decimals of every forecast amount (USD): an estimate, not a ledger amount at the money scale. */
    public static final int SCALE = 6;
    static final double DAMPING = 0.9;
    static final int LEVEL_DAYS = 7;
    static final int TREND_DAYS = 28;
    static final int SEASON_DAYS = 56;
    static final int MIN_TREND_DAYS = 7;
    static final int MIN_SHIFT_SEGMENT = 3;
    /** The smallest level shift taken for a change: 10% (in log terms). */
    static final double MIN_SHIFT = Math.log(1.10);
    static final int BACKTEST_ORIGINS = 56;
    static final int MIN_BACKTESTS = 5;
    static final double LOW_QUANTILE = 0.10;
    static final double HIGH_QUANTILE = 0.90;
    private static final double MIN_VOLUME = 0.5;

    /**
     * The forecast of {@code scope} for every day from {@code asOf} to {@code through}, from the days of
     * {@code history} before {@code asOf} only, with its band.
     */
    public Forecast forecast(String scope, List<DailySpend> history, LocalDate asOf, LocalDate through,
                             List<KnownChange> changes) {
        return run(scope, history, asOf, through, changes, true);
    }

    /** The same forecast without the band (no backtests): for the budget stage, which needs the point only. */
    public Forecast pointForecast(String scope, List<DailySpend> history, LocalDate asOf, LocalDate through,
                                  List<KnownChange> changes) {
        return run(scope, history, asOf, through, changes, false);
    }

    /** The point forecast from {@code asOf} (the first day forecast) to the end of its month. */
    public Forecast monthEnd(String scope, List<DailySpend> history, LocalDate asOf) {
        return pointForecast(scope, history, asOf, Horizon.MONTH.lastDay(asOf), List.of());
    }

    private Forecast run(String scope, List<DailySpend> history, LocalDate asOf, LocalDate through,
                         List<KnownChange> changes, boolean withBand) {
        if (through.isBefore(asOf)) {
            throw new IllegalArgumentException("forecast through " + through + " ends before it starts (" + asOf + ")");
        }
        List<KnownChange> mine = changes.stream().filter(c -> c.appliesTo(scope)).toList();
        Series series = Series.of(history, asOf);
        int steps = (int) ChronoUnit.DAYS.between(asOf, through) + 1;
        if (series.length() < MIN_HISTORY_DAYS) {
            return runRate(scope, series, asOf, steps);
        }
        Fit fit = fit(series, series.length(), mine);
        double[] point = project(fit, series.dayAt(series.length() - 1), steps, mine);
        Backtest backtest = withBand ? Backtest.run(this, series, mine) : Backtest.NONE;
        List<ForecastDay> days = new ArrayList<>(steps);
        for (int h = 1; h <= steps; h++) {
            double[] q = backtest.quantiles(h, h);
            days.add(new ForecastDay(asOf.plusDays(h - 1), usd(point[h - 1]),
                    q == null ? null : usd(Math.max(0, point[h - 1] * (1 + q[0]))),
                    q == null ? null : usd(point[h - 1] * (1 + q[1]))));
        }
        return new Forecast(scope, asOf, METHOD, series.length(), days, point, backtest,
                fit.weekdayFactors(), fit.slope(), usd(fit.unitCost()), fit.unitCostFrom(), fit.volumeFrom());
    }

    private static Forecast runRate(String scope, Series series, LocalDate asOf, int steps) {
        double rate = 0;
        for (int i = 0; i < series.length(); i++) {
            rate += series.cost[i];
        }
        rate = series.length() == 0 ? 0 : rate / series.length();
        double[] point = new double[steps];
        List<ForecastDay> days = new ArrayList<>(steps);
        for (int h = 0; h < steps; h++) {
            point[h] = rate;
            days.add(new ForecastDay(asOf.plusDays(h), usd(rate), null, null));
        }
        return new Forecast(scope, asOf, INSUFFICIENT_HISTORY, series.length(), days, point, Backtest.NONE,
                null, 0, null, null, null);
    }

    /** The model fitted on the first {@code n} days of {@code series}. */
    Fit fit(Series series, int n, List<KnownChange> changes) {
        double[] factors = weekdayFactors(series, n);
        int windowStart = Math.max(0, n - SEASON_DAYS);
        int size = 0;
        double[] x = new double[n - windowStart];
        double[] y = new double[n - windowStart];
        for (int i = windowStart; i < n; i++) {
            double factor = factors[weekday(series.dayAt(i))];
            if (factor > 0.05) {
                x[size] = i - (n - 1);
                y[size] = Math.log(Math.max(series.requests[i] / factor, MIN_VOLUME));
                size++;
            }
        }
        // A level shift shows in the residuals around the window's own trend, so a steady trend is not a shift.
        double windowSlope = Robust.theilSenSlope(x, y, 0, size);
        double[] residuals = new double[size];
        for (int i = 0; i < size; i++) {
            residuals[i] = y[i] - windowSlope * x[i];
        }
        int segmentStart = ChangePoints.latestShiftStart(residuals, 0, size, MIN_SHIFT_SEGMENT, MIN_SHIFT);
        LocalDate volumeFrom = segmentStart > 0 ? series.dayAt((int) x[segmentStart] + n - 1) : null;
        int trendStart = Math.max(segmentStart, size - TREND_DAYS);
        double slope = size - trendStart >= MIN_TREND_DAYS ? Robust.theilSenSlope(x, y, trendStart, size) : 0;
        int levelStart = Math.max(trendStart, size - LEVEL_DAYS);
        double[] detrended = new double[size - levelStart];
        for (int i = levelStart; i < size; i++) {
            detrended[i - levelStart] = y[i] - slope * x[i];
        }
        double level = size == 0 ? Math.log(MIN_VOLUME) : Robust.median(detrended);
        UnitCost unitCost = unitCost(series, n, changes);
        return new Fit(factors, level, slope, unitCost.value(), unitCost.from(), volumeFrom);
    }

    /**
     * Per weekday (Monday = 0), the median ratio of a day's requests to the centred 7-day mean around it (so a
     * trend does not leak into the factors), over the last {@value #SEASON_DAYS} days, normalised to average 1.
     */
    static double[] weekdayFactors(Series series, int n) {
        List<List<Double>> ratios = new ArrayList<>();
        for (int w = 0; w < 7; w++) {
            ratios.add(new ArrayList<>());
        }
        for (int i = Math.max(3, n - SEASON_DAYS); i <= n - 4; i++) {
            double mean = 0;
            for (int j = i - 3; j <= i + 3; j++) {
                mean += series.requests[j] / 7;
            }
            if (mean > 0) {
                ratios.get(weekday(series.dayAt(i))).add(series.requests[i] / mean);
            }
        }
        double[] factors = new double[7];
        double sum = 0;
        for (int w = 0; w < 7; w++) {
            double[] values = ratios.get(w).stream().mapToDouble(Double::doubleValue).toArray();
            factors[w] = values.length == 0 ? 1 : Robust.median(values);
            sum += factors[w];
        }
        for (int w = 0; w < 7; w++) {
            factors[w] = sum > 0 ? factors[w] * 7 / sum : 1;
        }
        return factors;
    }

    private record UnitCost(double value, LocalDate from) {
    }

    /**
     * The cost per request (total cost over total requests) of the last {@value #LEVEL_DAYS} days with traffic, counted only from the latest
     * unit-cost shift: detected in the log cost per request, or a known change dated within the history, whichever
     * is later.
     */
    private static UnitCost unitCost(Series series, int n, List<KnownChange> changes) {
        int windowStart = Math.max(0, n - SEASON_DAYS);
        int[] index = new int[n - windowStart];
        double[] logUnit = new double[n - windowStart];
        int size = 0;
        for (int i = windowStart; i < n; i++) {
            if (series.requests[i] > 0 && series.cost[i] > 0) {
                index[size] = i;
                logUnit[size] = Math.log(series.cost[i] / series.requests[i]);
                size++;
            }
        }
        if (size == 0) {
            return new UnitCost(0, null);
        }
        int start = ChangePoints.latestShiftStart(logUnit, 0, size, MIN_SHIFT_SEGMENT, MIN_SHIFT);
        LocalDate from = start > 0 ? series.dayAt(index[start]) : null;
        LocalDate lastDay = series.dayAt(n - 1);
        for (KnownChange change : changes) {
            if (!change.from().isAfter(lastDay) && change.from().isAfter(series.dayAt(0))
                    && (from == null || change.from().isAfter(from))) {
                from = change.from();
            }
        }
        int fromIndex = from == null ? 0 : (int) ChronoUnit.DAYS.between(series.dayAt(0), from);
        int first = size;
        while (first > 0 && index[first - 1] >= fromIndex && size - first < LEVEL_DAYS) {
            first--;
        }
        if (first == size) {
            // The known change is dated after the last day with traffic: the level before it is all there is.
            first = Math.max(0, size - LEVEL_DAYS);
        }
        // The ratio of the days' sums, not the median of their ratios: a day's cost per request is right-skewed (a few
        // long-context calls), so the median sits under the mean, and the forecast is of sums.
        double cost = 0;
        double requests = 0;
        for (int i = first; i < size; i++) {
            cost += series.cost[index[i]];
            requests += series.requests[index[i]];
        }
        return new UnitCost(cost / requests, from);
    }

    /** Daily spend for the {@code steps} days after {@code lastDay}. */
    static double[] project(Fit fit, LocalDate lastDay, int steps, List<KnownChange> changes) {
        Map<LocalDate, Double> later = new TreeMap<>();
        for (KnownChange change : changes) {
            if (change.from().isAfter(lastDay)) {
                later.merge(change.from(), change.unitCostFactor(), (a, b) -> a * b);
            }
        }
        double[] amounts = new double[steps];
        double damped = 0;
        double phiPower = 1;
        for (int h = 1; h <= steps; h++) {
            phiPower *= DAMPING;
            damped += phiPower;
            LocalDate day = lastDay.plusDays(h);
            double factor = 1;
            for (Map.Entry<LocalDate, Double> change : later.entrySet()) {
                if (!change.getKey().isAfter(day)) {
                    factor *= change.getValue();
                }
            }
            double volume = Math.exp(fit.level() + fit.slope() * damped) * fit.weekdayFactors()[weekday(day)];
            amounts[h - 1] = volume * fit.unitCost() * factor;
        }
        return amounts;
    }

    static int weekday(LocalDate day) {
        return day.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue();
    }

    static BigDecimal usd(double amount) {
        return BigDecimal.valueOf(amount).setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /** What the method fitted: weekday factors (Monday first), log-volume level and slope, unit cost and its start. */
    record Fit(double[] weekdayFactors, double level, double slope, double unitCost, LocalDate unitCostFrom,
               LocalDate volumeFrom) {
    }

    /** A scope's daily history as arrays, from its first day with traffic to the day before the forecast. */
    static final class Series {
        final LocalDate first;
        final double[] requests;
        final double[] cost;

        private Series(LocalDate first, double[] requests, double[] cost) {
            this.first = first;
            this.requests = requests;
            this.cost = cost;
        }

        static Series of(List<DailySpend> history, LocalDate asOf) {
            TreeMap<LocalDate, DailySpend> byDay = new TreeMap<>();
            for (DailySpend d : history) {
                if (d.day().isBefore(asOf)) {
                    byDay.merge(d.day(), d, (a, b) -> new DailySpend(a.day(), a.requests() + b.requests(),
                            a.costUsd().add(b.costUsd())));
                }
            }
            LocalDate first = byDay.values().stream().filter(d -> d.requests() > 0 || d.costUsd().signum() != 0)
                    .map(DailySpend::day).findFirst().orElse(asOf);
            int n = (int) ChronoUnit.DAYS.between(first, asOf);
            double[] requests = new double[n];
            double[] cost = new double[n];
            for (DailySpend d : byDay.tailMap(first, true).values()) {
                int i = (int) ChronoUnit.DAYS.between(first, d.day());
                requests[i] = d.requests();
                cost[i] = d.costUsd().doubleValue();
            }
            return new Series(first, requests, cost);
        }

        int length() {
            return requests.length;
        }

        LocalDate dayAt(int index) {
            return first.plusDays(index);
        }
    }
}
