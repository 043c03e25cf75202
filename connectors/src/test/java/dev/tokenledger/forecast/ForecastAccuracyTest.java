package dev.tokenledger.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The accuracy docs/forecasting.md quotes for a generated 120-day history: weekday seasonality, a trend that turns
 * (+0.6% a day for 70 days, then -0.4% a day), 8% daily noise on the volume, 3% on the unit cost, and a 20% price cut
 * on day 95. Measured by rolling origin ({@link BacktestAccuracy}) from every day with 28 days behind it.
 */
class ForecastAccuracyTest {

    static final LocalDate START = LocalDate.of(2026, 1, 5); // a Monday
    static final double[] WEEKDAY = {1.15, 1.2, 1.15, 1.1, 1.0, 0.7, 0.7};
    static final int PRICE_CUT_DAY = 95;

    static List<DailySpend> generatedHistory(long seed) {
        Random random = new Random(seed);
        List<DailySpend> days = new ArrayList<>();
        double logTrend = 0;
        for (int i = 0; i < 120; i++) {
            logTrend += i < 70 ? Math.log(1.006) : Math.log(0.996);
            long requests = Math.round(5000 * WEEKDAY[i % 7] * Math.exp(logTrend + 0.08 * random.nextGaussian()));
            double unitCost = 0.0021 * (i >= PRICE_CUT_DAY ? 0.8 : 1) * (1 + 0.03 * random.nextGaussian());
            days.add(new DailySpend(START.plusDays(i), requests,
                    BigDecimal.valueOf(requests * unitCost).setScale(12, RoundingMode.HALF_EVEN)));
        }
        return days;
    }

    @Test
    void measuresTheGeneratedHistory() {
        Map<String, List<DailySpend>> scopes = Map.of("generated", generatedHistory(11));
        List<KnownChange> priceCut = List.of(new KnownChange(START.plusDays(PRICE_CUT_DAY), KnownChange.ALL, 0.8));
        for (int horizon : new int[] {7, 28}) {
            BacktestAccuracy.Result blind = BacktestAccuracy.measure("generated 120 days", scopes, 28, horizon, List.of());
            BacktestAccuracy.Result told = BacktestAccuracy.measure("generated 120 days, price cut given as a KnownChange",
                    scopes, 28, horizon, priceCut);
            System.out.println(blind.line());
            System.out.println(told.line());
            // Regression guards around the measured figures (docs/forecasting.md), not targets.
            assertThat(blind.dailyMape()).isLessThan(horizon == 7 ? 0.12 : 0.20).isLessThan(blind.runRateDailyMape());
            assertThat(told.totalMape()).isLessThan(blind.totalMape());
            if (horizon == 7) {
                // At 28 days the band under-covers (measured 59% daily, 35% of totals): the backtests before the trend
                // turns cannot know it will; docs/forecasting.md says so.
                assertThat(blind.dailyCoverage()).isBetween(0.6, 0.95);
            }
        }
    }
}
