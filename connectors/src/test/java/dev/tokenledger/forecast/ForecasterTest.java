package dev.tokenledger.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The forecaster on generated histories whose answer is known by construction. */
class ForecasterTest {

    /** A Monday, so weekday i of a series starting here is i % 7 (Monday = 0). */
    static final LocalDate START = LocalDate.of(2026, 6, 1);
    final Forecaster forecaster = new Forecaster();

    static List<DailySpend> series(int days, IntToDoubleFunction requests, IntToDoubleFunction unitCost) {
        List<DailySpend> out = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            long r = Math.round(requests.applyAsDouble(i));
            BigDecimal cost = BigDecimal.valueOf(r * unitCost.applyAsDouble(i)).setScale(12, RoundingMode.HALF_EVEN);
            out.add(new DailySpend(START.plusDays(i), r, cost));
        }
        return out;
    }

    @Test
    void aFlatSeriesIsForecastAtItsLevelWithANarrowBand() {
        List<DailySpend> flat = series(28, i -> 1000, i -> 0.002);
        LocalDate asOf = START.plusDays(28);
        Forecast f = forecaster.forecast("search", flat, asOf, asOf.plusDays(6), List.of());

        assertThat(f.method()).isEqualTo(Forecaster.METHOD);
        assertThat(f.days()).hasSize(7).allSatisfy(d -> {
            assertThat(d.forecastUsd()).isEqualByComparingTo("2.000000");
            assertThat(d.lowUsd()).isEqualByComparingTo("2.000000");
            assertThat(d.highUsd()).isEqualByComparingTo("2.000000");
        });
        Band week = f.total(asOf, asOf.plusDays(6));
        assertThat(week.forecastUsd()).isEqualByComparingTo("14.000000");
        assertThat(f.trendPerDay()).isZero();
        assertThat(f.weekdayFactors()).containsOnly(1.0);
    }

    @Test
    void theBandHoldsItsPointWhenEveryBacktestErredTheSameWay() {
        // 2% a day of growth for 42 days: the damped trend under-reaches it at every origin, so every backtest
        // error is positive; the band still reaches down to the point, never sits above it.
        List<DailySpend> growing = series(42, i -> 1000 * Math.pow(1.02, i), i -> 0.002);
        LocalDate asOf = START.plusDays(42);
        Forecast f = forecaster.forecast("growth", growing, asOf, asOf.plusDays(27), List.of());

        assertThat(f.days()).allSatisfy(d -> {
            assertThat(d.lowUsd()).isLessThanOrEqualTo(d.forecastUsd());
            assertThat(d.highUsd()).isGreaterThan(d.forecastUsd());
        });
        Band month = f.total(asOf, asOf.plusDays(27));
        assertThat(month.lowUsd()).isEqualByComparingTo(month.forecastUsd());
        assertThat(month.highUsd()).isGreaterThan(month.forecastUsd());
    }

    @Test
    void weekdayFactorsAreRecoveredAndForecastPerWeekday() {
        double[] weekday = {1.2, 1.2, 1.1, 1.1, 1.0, 0.7, 0.7};
        List<DailySpend> seasonal = series(35, i -> 1000 * weekday[i % 7], i -> 0.002);
        LocalDate asOf = START.plusDays(35); // a Monday
        Forecast f = forecaster.forecast("search", seasonal, asOf, asOf.plusDays(6), List.of());

        assertThat(f.weekdayFactors()).containsExactly(weekday, within(1e-9));
        assertThat(f.trendPerDay()).isCloseTo(0, within(1e-12));
        // Monday: 1000 x 1.2 requests x 0.002 USD; Saturday: 1000 x 0.7 x 0.002.
        assertThat(f.days().get(0).forecastUsd()).isEqualByComparingTo("2.400000");
        assertThat(f.days().get(5).forecastUsd()).isEqualByComparingTo("1.400000");
        assertThat(f.total(asOf, asOf.plusDays(6)).forecastUsd()).isEqualByComparingTo("14.000000");
    }

    @Test
    void aUnitCostStepIsForecastAtTheLevelAfterTheStepNotTheAverage() {
        // 30 days at 0.002 USD a request, then a price cut to 0.001 four days before the forecast.
        List<DailySpend> stepped = series(34, i -> 1000, i -> i < 30 ? 0.002 : 0.001);
        LocalDate asOf = START.plusDays(34);
        Forecast f = forecaster.forecast("search", stepped, asOf, asOf.plusDays(6), List.of());

        assertThat(f.unitCostFrom()).isEqualTo(START.plusDays(30));
        assertThat(f.unitCostUsd()).isEqualByComparingTo("0.001000");
        assertThat(f.days()).allSatisfy(d -> assertThat(d.forecastUsd()).isEqualByComparingTo("1.000000"));
    }

    @Test
    void aVolumeStepIsForecastAtTheLevelAfterTheStep() {
        // A launch: 1000 requests a day, then 1500 for the last ten days.
        List<DailySpend> stepped = series(40, i -> i < 30 ? 1000 : 1500, i -> 0.002);
        LocalDate asOf = START.plusDays(40);
        Forecast f = forecaster.forecast("search", stepped, asOf, asOf.plusDays(6), List.of());

        assertThat(f.volumeFrom()).isEqualTo(START.plusDays(30));
        assertThat(f.trendPerDay()).isCloseTo(0, within(1e-12));
        assertThat(f.days()).allSatisfy(d -> assertThat(d.forecastUsd()).isEqualByComparingTo("3.000000"));
    }

    @Test
    void aKnownChangeDatedInTheHistoryStartsTheUnitCostLevel() {
        // A 20% change is under the detector's noise floor here (it alternates), but the price-book change is known.
        List<DailySpend> stepped = series(30, i -> 1000, i -> (i < 27 ? 0.002 : 0.0024) * (i % 2 == 0 ? 1.1 : 0.9));
        LocalDate asOf = START.plusDays(30);
        List<KnownChange> known = List.of(new KnownChange(START.plusDays(27), "search", 1.2));
        Forecast f = forecaster.forecast("search", stepped, asOf, asOf, known);

        assertThat(f.unitCostFrom()).isEqualTo(START.plusDays(27));
        // days 27, 28, 29 at 1,000 requests: 0.0024 x (0.9 + 1.1 + 0.9) x 1000 = 6.96 USD over 3,000 requests
        assertThat(f.unitCostUsd()).isEqualByComparingTo("0.002320");
    }

    @Test
    void aKnownChangeAfterTheHistoryAppliesFromItsDate() {
        List<DailySpend> flat = series(28, i -> 1000, i -> 0.002);
        LocalDate asOf = START.plusDays(28);
        List<KnownChange> known = List.of(new KnownChange(asOf.plusDays(3), KnownChange.ALL, 0.5),
                new KnownChange(asOf.plusDays(1), "another-team", 3.0));
        Forecast f = forecaster.forecast("search", flat, asOf, asOf.plusDays(5), known);

        assertThat(f.days()).extracting(d -> d.forecastUsd().toPlainString())
                .containsExactly("2.000000", "2.000000", "2.000000", "1.000000", "1.000000", "1.000000");
    }

    @Test
    void aTrendIsFollowedAndDamped() {
        List<DailySpend> growing = series(42, i -> 1000 * Math.pow(1.01, i), i -> 0.002);
        LocalDate asOf = START.plusDays(42);
        Forecast f = forecaster.forecast("search", growing, asOf, asOf.plusDays(29), List.of());

        assertThat(f.trendPerDay()).isCloseTo(Math.log(1.01), within(1e-4));
        double last = 1000 * Math.pow(1.01, 41) * 0.002;
        // step h: last x 1.01^(0.9 + 0.81 + ... + 0.9^h); after 30 steps the exponent is ~8.6, not 30.
        double damped = 0;
        for (int h = 1; h <= 30; h++) {
            damped += Math.pow(0.9, h);
            assertThat(f.days().get(h - 1).forecastUsd().doubleValue())
                    .isCloseTo(last * Math.pow(1.01, damped), within(2e-3));
        }
    }

    @Test
    void underFourteenDaysTheAnswerIsThePlainRunRate() {
        List<DailySpend> young = series(10, i -> 1000 + 100 * i, i -> 0.002);
        LocalDate asOf = START.plusDays(10);
        Forecast f = forecaster.forecast("search", young, asOf, asOf.plusDays(20), List.of());

        // mean of 2.0, 2.2, ..., 3.8 = 2.9 USD a day
        assertThat(f.method()).isEqualTo(Forecaster.INSUFFICIENT_HISTORY);
        assertThat(f.insufficientHistory()).isTrue();
        assertThat(f.historyDays()).isEqualTo(10);
        assertThat(f.days()).hasSize(21).allSatisfy(d -> {
            assertThat(d.forecastUsd()).isEqualByComparingTo("2.900000");
            assertThat(d.lowUsd()).isNull();
            assertThat(d.highUsd()).isNull();
        });
        assertThat(f.total(asOf, asOf.plusDays(20)).forecastUsd()).isEqualByComparingTo("60.900000");
    }

    @Test
    void onlyDaysBeforeAsOfAreUsed() {
        List<DailySpend> history = new ArrayList<>(series(28, i -> 1000, i -> 0.002));
        history.addAll(series(40, i -> 1000, i -> 0.05).subList(28, 40)); // what happened after as-of
        LocalDate asOf = START.plusDays(28);
        Forecast f = forecaster.forecast("search", history, asOf, asOf, List.of());
        assertThat(f.days().get(0).forecastUsd()).isEqualByComparingTo("2.000000");
    }

    @Test
    void theBandCoversAboutEightyPercentOfANoisySeries() {
        double[] weekday = {1.15, 1.2, 1.15, 1.1, 1.0, 0.7, 0.7};
        Random random = new Random(7);
        double[] noise = new double[200];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = Math.exp(0.12 * random.nextGaussian());
        }
        List<DailySpend> noisy = series(200, i -> 2000 * weekday[i % 7] * Math.pow(1.003, i) * noise[i],
                i -> 0.0015 * (1 + 0.03 * Math.sin(i)));
        int inside = 0;
        int total = 0;
        for (int origin = 100; origin <= 186; origin++) {
            LocalDate asOf = START.plusDays(origin);
            Forecast f = forecaster.forecast("search", noisy, asOf, asOf.plusDays(13), List.of());
            for (int h = 0; h < 14; h++) {
                ForecastDay d = f.days().get(h);
                BigDecimal actual = noisy.get(origin + h).costUsd();
                total++;
                if (actual.compareTo(d.lowUsd()) >= 0 && actual.compareTo(d.highUsd()) <= 0) {
                    inside++;
                }
            }
        }
        double coverage = (double) inside / total;
        System.out.printf("band coverage on the noisy series: %d of %d daily actuals, %.3f%n", inside, total, coverage);
        assertThat(coverage).isBetween(0.72, 0.88);
    }

    @Test
    void horizonsEndAtMonthEndAndAtTheNextQuarterEnd() {
        assertThat(Horizon.MONTH.lastDay(LocalDate.of(2026, 11, 15))).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(Horizon.QUARTER.lastDay(LocalDate.of(2026, 11, 15))).isEqualTo(LocalDate.of(2027, 3, 31));
        assertThat(Horizon.QUARTER.lastDay(LocalDate.of(2026, 10, 1))).isEqualTo(LocalDate.of(2027, 3, 31));
        assertThat(Horizon.QUARTER.lastDay(LocalDate.of(2026, 9, 30))).isEqualTo(LocalDate.of(2026, 12, 31));
    }
}
