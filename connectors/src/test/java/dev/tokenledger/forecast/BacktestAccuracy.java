package dev.tokenledger.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures the forecaster by rolling origin on histories whose future is known: from every origin with at least
 * {@code minHistory} days before it and {@code horizon} days after, forecast the next {@code horizon} days from the
 * days before it only, and compare. MAPE is the mean of |actual - forecast| / actual (days with no spend skipped);
 * coverage is the share of actuals inside the 80% band, among the forecasts that have one. The plain run rate (the mean of the 7 days before the
 * origin) is measured the same way, for comparison.
 */
public final class BacktestAccuracy {

    public record Result(String label, int scopes, int origins, int horizon, double dailyMape, double totalMape,
                         double dailyCoverage, double totalCoverage, double runRateDailyMape, double runRateTotalMape) {

        public String line() {
            return String.format(Locale.ROOT, "%s: %d scope(s), %d origins, horizon %d days: daily MAPE %.1f%% (run rate"
                            + " %.1f%%), %d-day total MAPE %.1f%% (run rate %.1f%%), 80%% band coverage daily %.1f%%,"
                            + " %d-day total %.1f%%",
                    label, scopes, origins, horizon, 100 * dailyMape, 100 * runRateDailyMape, horizon, 100 * totalMape,
                    100 * runRateTotalMape, 100 * dailyCoverage, horizon, 100 * totalCoverage);
        }
    }

    private BacktestAccuracy() {
    }

    public static Result measure(String label, Map<String, List<DailySpend>> scopes, int minHistory, int horizon,
                                 List<KnownChange> changes) {
        Forecaster forecaster = new Forecaster();
        double dailyApe = 0;
        double runRateDailyApe = 0;
        int dailyCount = 0;
        int dailyInside = 0;
        int dailyBanded = 0;
        double totalApe = 0;
        double runRateTotalApe = 0;
        int totals = 0;
        int totalInside = 0;
        int totalBanded = 0;
        for (Map.Entry<String, List<DailySpend>> scope : scopes.entrySet()) {
            TreeMap<LocalDate, BigDecimal> actual = new TreeMap<>();
            scope.getValue().forEach(d -> actual.merge(d.day(), d.costUsd(), BigDecimal::add));
            LocalDate first = actual.firstKey();
            LocalDate last = actual.lastKey();
            for (LocalDate asOf = first.plusDays(minHistory); !asOf.plusDays(horizon - 1).isAfter(last);
                 asOf = asOf.plusDays(1)) {
                Forecast f = forecaster.forecast(scope.getKey(), scope.getValue(), asOf, asOf.plusDays(horizon - 1), changes);
                double runRate = 0;
                for (int i = 1; i <= 7; i++) {
                    runRate += actual.getOrDefault(asOf.minusDays(i), BigDecimal.ZERO).doubleValue() / 7;
                }
                double sumActual = 0;
                for (ForecastDay d : f.days()) {
                    double y = actual.getOrDefault(d.day(), BigDecimal.ZERO).doubleValue();
                    sumActual += y;
                    if (y > 0) {
                        dailyApe += Math.abs(y - d.forecastUsd().doubleValue()) / y;
                        runRateDailyApe += Math.abs(y - runRate) / y;
                        dailyCount++;
                        if (d.lowUsd() != null) {
                            dailyBanded++;
                            if (y >= d.lowUsd().doubleValue() && y <= d.highUsd().doubleValue()) {
                                dailyInside++;
                            }
                        }
                    }
                }
                Band total = f.total(asOf, f.through());
                if (sumActual > 0) {
                    totalApe += Math.abs(sumActual - total.forecastUsd().doubleValue()) / sumActual;
                    runRateTotalApe += Math.abs(sumActual - runRate * horizon) / sumActual;
                    totals++;
                    if (total.lowUsd() != null) {
                        totalBanded++;
                        if (sumActual >= total.lowUsd().doubleValue() && sumActual <= total.highUsd().doubleValue()) {
                            totalInside++;
                        }
                    }
                }
            }
        }
        return new Result(label, scopes.size(), totals, horizon, dailyApe / dailyCount, totalApe / totals,
                (double) dailyInside / dailyBanded, (double) totalInside / totalBanded, runRateDailyApe / dailyCount,
                runRateTotalApe / totals);
    }
}
