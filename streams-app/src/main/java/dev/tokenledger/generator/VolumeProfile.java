package dev.tokenledger.generator;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * How the generator's rate varies over event time: a factor per UTC weekday and a trend around a pivot
 * instant, so several weeks of generated history have the shape a forecast is judged on (a quieter weekend, a
 * growing product). The trend steps once a week, counted from the pivot, and is the same on every day of a
 * step: the weekday factors average 1 over any seven days, so each step's mean rate is its trend factor, and
 * over whole weeks centred on the pivot the mean rate is exactly the options' {@code eventsPerSecondOfEventTime}
 * (the generated span ends where a flat one would).
 *
 * @param weekday     the rate factor of each weekday, Monday first
 * @param trendPerDay the relative change of the rate per day (0.01 = 1% a day, 7% a week step), never below a fifth of the pivot's rate
 * @param pivot       where the trend factor is 1
 */
public record VolumeProfile(List<Double> weekday, double trendPerDay, Instant pivot) {

    public static final VolumeProfile FLAT = new VolumeProfile(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), 0, Instant.EPOCH);
    private static final double MIN_TREND = 0.2;
    private static final long WEEK_MS = Duration.ofDays(7).toMillis();

    public VolumeProfile {
        weekday = List.copyOf(weekday);
        if (weekday.size() != 7 || weekday.stream().anyMatch(f -> !(f > 0))) {
            throw new IllegalArgumentException("seven positive weekday factors, Monday first: " + weekday);
        }
    }

    /**
     * A business week (Tuesday and Wednesday busiest, the weekend at about 80%) growing {@code trendPerDay}
     * around {@code pivot}: the demo's history.
     */
    public static VolumeProfile businessWeek(double trendPerDay, Instant pivot) {
        return new VolumeProfile(List.of(1.08, 1.10, 1.10, 1.08, 1.00, 0.80, 0.84), trendPerDay, pivot);
    }

    public boolean isFlat() {
        return trendPerDay == 0 && weekday.stream().allMatch(f -> f == 1.0);
    }

    /** The rate factor at {@code epochMillis}. */
    public double intensity(long epochMillis) {
        DayOfWeek day = Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).getDayOfWeek();
        // The week steps either side of the pivot sit at -1.5, -0.5, +0.5, +1.5, … weeks: symmetric about it.
        double weeks = Math.floorDiv(epochMillis - pivot.toEpochMilli(), WEEK_MS) + 0.5;
        double trend = Math.max(MIN_TREND, 1 + trendPerDay * 7 * weeks);
        return weekday.get(day.getValue() - 1) * trend;
    }
}
