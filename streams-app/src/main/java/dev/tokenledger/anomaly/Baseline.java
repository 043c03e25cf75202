package dev.tokenledger.anomaly;

import java.time.Duration;
import java.util.Arrays;

/**
 * The expected value of one hourly series, in event time, from robust statistics over its trailing
 * history: the median and the median absolute deviation (MAD) of {@code ln(value + logOffset)}.
 *
 * <p>Why log space: costs and token counts vary by multiples, so a doubling should score the same
 * at $1 an hour as at $1,000; why median and MAD: one past incident in the history must not move
 * the baseline. The offset keeps zero hours finite and stops tiny values from scoring huge ratios.
 *
 * <p>The history is a bounded ring of {@link Settings#historyHours()} hourly values indexed by the
 * hour's start, so a value is kept under its own hour whatever order the hours arrive in: a late hour
 * within the history lands in its slot (a later write for the same hour replaces it, as a corrected
 * rollup does), an hour older than the history's newest minus its length is dropped. The
 * {@link #expectation(long)} of an hour reads only the hours strictly before it and no older than the
 * history, never the hour itself, so it is a function of which hours were recorded, not of their order.
 *
 * <p>An hour can be {@link #exclude excluded}: it keeps its slot, so no later value of that hour
 * enters, but no statistic reads it. The engine excludes the hours a rule found anomalous, so an
 * open incident does not become its own baseline (an acknowledged one is recorded: see the tracker).
 *
 * <p>Seasonality, per scored hour, the richest the history supports: {@link Seasonality#HOUR_OF_WEEK}
 * once at least {@link Settings#minHourOfWeekSamples()} past values share the hour's weekday and hour,
 * else {@link Seasonality#HOUR_OF_DAY} once {@link Settings#minHourOfDaySamples()} share its hour of day,
 * else {@link Seasonality#FLAT} (every hour in the history). A series may alert only once it holds
 * {@link Settings#minHistoryHours()} values in the history ({@link Expectation#ready()}).
 */
public final class Baseline {

    static final long HOUR_MS = Duration.ofHours(1).toMillis();
    private static final long EMPTY = Long.MIN_VALUE;
    /** Scales a MAD to a standard deviation for normally distributed values. */
    private static final double MAD_TO_SIGMA = 1.4826;
    /** The share of absolute deviations under the tail estimate, and that quantile of |N(0, 1)|, to scale it to a sigma. */
    private static final double TAIL_QUANTILE = 0.90;
    private static final double TAIL_TO_SIGMA = 1.6449;
    /** An expected value under this share of the log offset is floating-point residue of a zero median. */
    static final double ZERO_EPSILON = 1e-9;

    /**
     * @param historyHours           hours kept, and the furthest back an expectation looks
     * @param minHistoryHours        values needed in the history before the series may alert
     * @param minHourOfWeekSamples   same weekday-and-hour values needed for hour-of-week seasonality
     * @param minHourOfDaySamples    same hour-of-day values needed for hour-of-day seasonality
     * @param seasonal               false: always flat (ratios such as cost per request)
     * @param logOffset              added before the logarithm, in the series' unit
     * @param minSigma               floor of the log-space spread, so a constant series does not score infinitely
     */
    public record Settings(int historyHours, int minHistoryHours, int minHourOfWeekSamples, int minHourOfDaySamples,
                           boolean seasonal, double logOffset, double minSigma) {
        public Settings {
            if (historyHours < 1 || minHistoryHours < 1 || minHourOfWeekSamples < 1 || minHourOfDaySamples < 1) {
                throw new IllegalArgumentException("baseline sizes must be positive");
            }
            if (!(logOffset > 0) || !(minSigma > 0)) {
                throw new IllegalArgumentException("logOffset and minSigma must be positive");
            }
        }

        /** Four weeks of history, alerting after three days; seasonal. */
        public static Settings seasonal(double logOffset) {
            return new Settings(28 * 24, 72, 3, 5, true, logOffset, 0.10);
        }

        /** Four weeks of history, alerting after a day of values; flat (ratios do not follow the clock). */
        public static Settings flat(double logOffset) {
            return new Settings(28 * 24, 24, 3, 5, false, logOffset, 0.05);
        }
    }

    /**
     * What the history says about one scored hour.
     *
     * @param hours the hours (epoch millis of their starts) the statistics were taken over, ascending
     */
    public record Expectation(Seasonality seasonality, int historyValues, double logMedian, double logMad,
                              double logTail, double logOffset, double minSigma, boolean ready, long[] hours) {

        /** The expected value in the series' unit: the median, back from log space. */
        public double expected() {
            double expected = Math.exp(logMedian) - logOffset;
            // exp(ln(offset)) - offset leaves rounding residue (3.5E-18) where the median is a zero hour: that is zero.
            return expected < logOffset * ZERO_EPSILON ? 0 : expected;
        }

        /**
         * Robust z-score of {@code value}: log-space distance from the median over the series' spread, the
         * larger of the MAD and the tail estimate, each scaled to a sigma, and never under the floor.
         */
        public double score(double value) {
            double sigma = Math.max(Math.max(MAD_TO_SIGMA * logMad, logTail), minSigma);
            return (Math.log(Math.max(0, value) + logOffset) - logMedian) / sigma;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Expectation e && seasonality == e.seasonality && historyValues == e.historyValues
                    && Double.compare(logMedian, e.logMedian) == 0 && Double.compare(logMad, e.logMad) == 0
                    && Double.compare(logTail, e.logTail) == 0
                    && ready == e.ready && Arrays.equals(hours, e.hours);
        }

        @Override
        public int hashCode() {
            return Double.hashCode(logMedian) * 31 + Arrays.hashCode(hours);
        }

        @Override
        public String toString() {
            return seasonality.id() + " n=" + hours.length + " median=" + expected() + (ready ? "" : " (not ready)");
        }
    }

    private final Settings settings;
    private final long[] slotHour;
    private final double[] slotValue;

    public Baseline(Settings settings) {
        this.settings = settings;
        this.slotHour = new long[settings.historyHours()];
        this.slotValue = new double[settings.historyHours()];
        Arrays.fill(slotHour, EMPTY);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Records the value of the hour starting at {@code hourStartMs} (replacing an earlier value of that
     * hour). Returns false, keeping nothing, when the hour is older than the history already holds.
     */
    public boolean record(long hourStartMs, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("series values are finite and non-negative: " + value);
        }
        return put(hourStartMs, value);
    }

    /** Keeps the hour out of every statistic, now and when a value for it arrives later. */
    public boolean exclude(long hourStartMs) {
        return put(hourStartMs, Double.NaN);
    }

    public boolean isExcluded(long hourStartMs) {
        long hour = hourIndex(hourStartMs);
        int slot = (int) Math.floorMod(hour, (long) slotHour.length);
        return slotHour[slot] == hour && Double.isNaN(slotValue[slot]);
    }

    private boolean put(long hourStartMs, double value) {
        long hour = hourIndex(hourStartMs);
        int slot = (int) Math.floorMod(hour, (long) slotHour.length);
        if (slotHour[slot] != EMPTY && slotHour[slot] > hour) {
            return false;
        }
        if (slotHour[slot] == hour && Double.isNaN(slotValue[slot])) {
            return false;
        }
        slotHour[slot] = hour;
        slotValue[slot] = value;
        return true;
    }

    /** The value recorded for the hour, or NaN (none, or excluded). */
    public double valueAt(long hourStartMs) {
        long hour = hourIndex(hourStartMs);
        int slot = (int) Math.floorMod(hour, (long) slotHour.length);
        return slotHour[slot] == hour ? slotValue[slot] : Double.NaN;
    }

    /** Number of hours holding a value (at most the history length; excluded hours do not count). */
    public int size() {
        int n = 0;
        for (int slot = 0; slot < slotHour.length; slot++) {
            if (slotHour[slot] != EMPTY && !Double.isNaN(slotValue[slot])) {
                n++;
            }
        }
        return n;
    }

    /** The statistics for scoring the hour starting at {@code hourStartMs}, from the hours before it. */
    public Expectation expectation(long hourStartMs) {
        long scored = hourIndex(hourStartMs);
        long oldest = scored - settings.historyHours();
        int n = 0;
        int sameHourOfWeek = 0;
        int sameHourOfDay = 0;
        for (int slot = 0; slot < slotHour.length; slot++) {
            long h = slotHour[slot];
            if (h != EMPTY && h < scored && h >= oldest && !Double.isNaN(slotValue[slot])) {
                n++;
                long back = scored - h;
                if (back % (24 * 7) == 0) {
                    sameHourOfWeek++;
                }
                if (back % 24 == 0) {
                    sameHourOfDay++;
                }
            }
        }
        Seasonality seasonality = !settings.seasonal() ? Seasonality.FLAT
                : sameHourOfWeek >= settings.minHourOfWeekSamples() ? Seasonality.HOUR_OF_WEEK
                : sameHourOfDay >= settings.minHourOfDaySamples() ? Seasonality.HOUR_OF_DAY
                : Seasonality.FLAT;
        long period = switch (seasonality) {
            case HOUR_OF_WEEK -> 24 * 7;
            case HOUR_OF_DAY -> 24;
            case FLAT -> 1;
        };
        long[] hours = new long[n];
        double[] logs = new double[n];
        int k = 0;
        for (int slot = 0; slot < slotHour.length; slot++) {
            long h = slotHour[slot];
            if (h != EMPTY && h < scored && h >= oldest && (scored - h) % period == 0 && !Double.isNaN(slotValue[slot])) {
                hours[k] = h;
                logs[k] = Math.log(slotValue[slot] + settings.logOffset());
                k++;
            }
        }
        hours = Arrays.copyOf(hours, k);
        logs = Arrays.copyOf(logs, k);
        // Slots are in ring order; sort the hours so the expectation does not depend on where the ring starts.
        Arrays.sort(hours);
        for (int i = 0; i < hours.length; i++) {
            hours[i] *= HOUR_MS;
        }
        if (k == 0) {
            return new Expectation(seasonality, n, Math.log(settings.logOffset()), 0, 0, settings.logOffset(),
                    settings.minSigma(), false, hours);
        }
        double median = median(logs);
        double[] deviations = new double[k];
        for (int i = 0; i < k; i++) {
            deviations[i] = Math.abs(logs[i] - median);
        }
        return new Expectation(seasonality, n, median, median(deviations), tail(deviations), settings.logOffset(),
                settings.minSigma(), n >= settings.minHistoryHours(), hours);
    }

    /** The hours (epoch millis of their starts) holding a value or excluded, ascending, for the serde. */
    long[] recordedHours() {
        return Arrays.stream(slotHour).filter(h -> h != EMPTY).sorted().map(h -> h * HOUR_MS).toArray();
    }

    /**
     * The series' spread read off its tail: the {@link #TAIL_QUANTILE} quantile of the absolute deviations,
     * scaled to a sigma. For normal hours it agrees with the MAD; for a heavy-tailed series (an hour's cost per
     * request is a mean over a few long-context calls) it is wider, so the hours such a series routinely
     * reaches do not score as incidents, while a series that is steady stays as sensitive as the MAD makes it.
     */
    static double tail(double[] deviations) {
        double[] sorted = deviations.clone();
        Arrays.sort(sorted);
        int at = (int) Math.ceil(TAIL_QUANTILE * sorted.length) - 1;
        return sorted[Math.max(0, at)] / TAIL_TO_SIGMA;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static long hourIndex(long hourStartMs) {
        if (Math.floorMod(hourStartMs, HOUR_MS) != 0) {
            throw new IllegalArgumentException("not the start of a UTC hour: " + hourStartMs);
        }
        return Math.floorDiv(hourStartMs, HOUR_MS);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Baseline b) || !settings.equals(b.settings)) {
            return false;
        }
        long[] hours = recordedHours();
        if (!Arrays.equals(hours, b.recordedHours())) {
            return false;
        }
        for (long h : hours) {
            if (Double.compare(valueAt(h), b.valueAt(h)) != 0 || isExcluded(h) != b.isExcluded(h)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(recordedHours());
    }
}
