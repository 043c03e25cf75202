package dev.tokenledger.forecast;

import java.util.List;

/**
 * Rolling-origin backtests of the forecaster on its own history: from each of the last
 * {@value Forecaster#BACKTEST_ORIGINS} days that has {@value Forecaster#MIN_HISTORY_DAYS} days before it, the method
 * is fitted on the days before that origin only and its forecast compared with what followed. The band of a block of
 * horizon steps {@code [a, b]} (1 = the first day forecast) is the 10% and 90% quantile of
 * {@code (actual - forecast) / forecast} of that block's sum over the origins that have its actuals.
 *
 * <p>Beyond the horizon the history can check (fewer than {@value Forecaster#MIN_BACKTESTS} origins), the errors of
 * the longest block from step 1 that has enough are used, widened in proportion to how much further out the block
 * ends (a trend's error grows with the horizon): an extrapolation, said so in docs/forecasting.md.
 */
final class Backtest {

    static final Backtest NONE = new Backtest(null, new double[0][], 0, 0);

    private final double[] actual;
    /** forecasts[o - firstOrigin][h - 1]: the forecast made at origin o for day o + h - 1. */
    private final double[][] forecasts;
    private final int firstOrigin;
    private final int length;

    private Backtest(double[] actual, double[][] forecasts, int firstOrigin, int length) {
        this.actual = actual;
        this.forecasts = forecasts;
        this.firstOrigin = firstOrigin;
        this.length = length;
    }

    static Backtest run(Forecaster forecaster, Forecaster.Series series, List<KnownChange> changes) {
        int n = series.length();
        int firstOrigin = Math.max(Forecaster.MIN_HISTORY_DAYS, n - Forecaster.BACKTEST_ORIGINS);
        double[][] forecasts = new double[Math.max(0, n - firstOrigin)][];
        for (int o = firstOrigin; o < n; o++) {
            Forecaster.Fit fit = forecaster.fit(series, o, changes);
            forecasts[o - firstOrigin] = Forecaster.project(fit, series.dayAt(o - 1), n - o, changes);
        }
        return new Backtest(series.cost, forecasts, firstOrigin, n);
    }

    /**
     * The 10% and 90% relative-error quantiles of the block of steps {@code [a, b]}, or null without backtests;
     * the low one never above 0 and the high one never below, so the band always holds its own point. When every
     * backtest erred the same way (a growth the damped trend under-reaches), the errors' quantiles alone would put
     * the band beside the point (a low above the forecast): the band then reaches from the point to the far quantile.
     */
    double[] quantiles(int a, int b) {
        double[] q = errorQuantiles(a, b);
        return q == null ? null : new double[] {Math.min(0, q[0]), Math.max(0, q[1])};
    }

    private double[] errorQuantiles(int a, int b) {
        double[] errors = errors(a, b);
        if (errors.length >= Forecaster.MIN_BACKTESTS) {
            return new double[] {Robust.quantile(errors, Forecaster.LOW_QUANTILE),
                    Robust.quantile(errors, Forecaster.HIGH_QUANTILE)};
        }
        int span = b - a + 1;
        for (int shorter = Math.min(span, length); shorter >= 1; shorter--) {
            double[] known = errors(1, shorter);
            if (known.length >= Forecaster.MIN_BACKTESTS) {
                double widen = (double) b / shorter;
                return new double[] {Math.max(-1, Robust.quantile(known, Forecaster.LOW_QUANTILE) * widen),
                        Robust.quantile(known, Forecaster.HIGH_QUANTILE) * widen};
            }
        }
        return null;
    }

    /** How many origins the band was measured on. */
    int origins() {
        return forecasts.length;
    }

    private double[] errors(int a, int b) {
        double[] errors = new double[forecasts.length];
        int count = 0;
        for (int o = firstOrigin; o + b - 1 < length; o++) {
            double[] forecast = forecasts[o - firstOrigin];
            double f = 0;
            double y = 0;
            for (int h = a; h <= b; h++) {
                f += forecast[h - 1];
                y += actual[o + h - 1];
            }
            if (f > 0) {
                errors[count++] = (y - f) / f;
            }
        }
        return java.util.Arrays.copyOf(errors, count);
    }
}
