package dev.tokenledger.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class BaselineTest {

    static final long HOUR = Baseline.HOUR_MS;
    static final long MONDAY = Instant.parse("2026-10-05T00:00:00Z").toEpochMilli();
    static final Baseline.Settings SEASONAL = Baseline.Settings.seasonal(0.1);
    static final Baseline.Settings FLAT = Baseline.Settings.flat(0.1);

    /** Weekday business hours at 10, nights at 2, weekends at a quarter of that. */
    static double weekly(long hourMs) {
        int hourOfDay = (int) ((hourMs / HOUR) % 24);
        int dayOfWeek = (int) ((hourMs - MONDAY) / (24 * HOUR) % 7);
        double v = hourOfDay >= 9 && hourOfDay < 17 ? 10 : 2;
        return dayOfWeek >= 5 ? v / 4 : v;
    }

    @Test
    void shouldExpectTheMedianOfThePastHoursAndIgnoreTheScoredOneAndLaterOnes() {
        Baseline b = new Baseline(FLAT);
        for (int h = 0; h < 30; h++) {
            b.record(MONDAY + h * HOUR, h == 7 ? 1000 : 5);
        }
        b.record(MONDAY + 30 * HOUR, 999_999);
        b.record(MONDAY + 31 * HOUR, 777_777);
        Baseline.Expectation e = b.expectation(MONDAY + 30 * HOUR);
        assertThat(e.expected()).isCloseTo(5, within(1e-9));
        assertThat(e.ready()).isTrue();
        assertThat(e.hours()).hasSize(30).doesNotContain(MONDAY + 30 * HOUR);
        assertThat(e.score(5)).isCloseTo(0, within(1e-9));
        // A constant history has no spread: the floor keeps the score finite.
        assertThat(e.score(10)).isCloseTo(Math.log(10.1 / 5.1) / FLAT.minSigma(), within(1e-9));
    }

    @Test
    void shouldNotBeReadyBeforeTheMinimumHistory() {
        Baseline b = new Baseline(SEASONAL);
        for (int h = 0; h < SEASONAL.minHistoryHours() - 1; h++) {
            b.record(MONDAY + h * HOUR, 3);
        }
        assertThat(b.expectation(MONDAY + 100 * HOUR).ready()).isFalse();
        b.record(MONDAY + (SEASONAL.minHistoryHours() - 1) * HOUR, 3);
        assertThat(b.expectation(MONDAY + 100 * HOUR).ready()).isTrue();
    }

    @Test
    void shouldBecomeSeasonalAsHistoryGrows() {
        Baseline b = new Baseline(SEASONAL);
        long mondayAtTen = MONDAY + 10 * HOUR;
        // Two days of history: flat.
        for (long t = MONDAY; t < MONDAY + 2 * 24 * HOUR; t += HOUR) {
            b.record(t, weekly(t));
        }
        assertThat(b.expectation(MONDAY + 2 * 24 * HOUR + 10 * HOUR).seasonality()).isEqualTo(Seasonality.FLAT);
        // Three weeks of history: hour of week, and a Saturday 10:00 expects a Saturday's level, not a weekday's.
        for (long t = MONDAY + 2 * 24 * HOUR; t < MONDAY + 21 * 24 * HOUR; t += HOUR) {
            b.record(t, weekly(t));
        }
        long saturdayAtTen = MONDAY + (21 + 5) * 24 * HOUR + 10 * HOUR;
        for (long t = MONDAY + 21 * 24 * HOUR; t < saturdayAtTen; t += HOUR) {
            b.record(t, weekly(t));
        }
        Baseline.Expectation saturday = b.expectation(saturdayAtTen);
        assertThat(saturday.seasonality()).isEqualTo(Seasonality.HOUR_OF_WEEK);
        assertThat(saturday.expected()).isCloseTo(2.5, within(1e-9));
        assertThat(saturday.hours()).hasSize(3);
        // Between the two: hour of day once five days share the hour.
        Baseline young = new Baseline(SEASONAL);
        for (long t = MONDAY; t < MONDAY + 5 * 24 * HOUR; t += HOUR) {
            young.record(t, weekly(t));
        }
        Baseline.Expectation friday = young.expectation(MONDAY + 5 * 24 * HOUR + 10 * HOUR);
        assertThat(friday.seasonality()).isEqualTo(Seasonality.HOUR_OF_DAY);
        assertThat(friday.expected()).isCloseTo(10, within(1e-9));
        assertThat(young.expectation(mondayAtTen + 7 * 24 * HOUR).seasonality()).isEqualTo(Seasonality.HOUR_OF_DAY);
    }

    @Test
    void shouldGiveTheSameExpectationWhateverOrderTheHoursArriveIn() {
        Random random = new Random(5);
        List<Long> hours = new ArrayList<>();
        for (long t = MONDAY; t < MONDAY + 40 * 24 * HOUR; t += HOUR) {
            hours.add(t);
        }
        Baseline inOrder = new Baseline(SEASONAL);
        for (long t : hours) {
            inOrder.record(t, weekly(t) * (1 + 0.1 * new Random(t).nextGaussian() * 0.1 + 0.05));
        }
        List<Long> shuffled = new ArrayList<>(hours);
        Collections.shuffle(shuffled, random);
        Baseline anyOrder = new Baseline(SEASONAL);
        for (long t : shuffled) {
            anyOrder.record(t, weekly(t) * (1 + 0.1 * new Random(t).nextGaussian() * 0.1 + 0.05));
        }
        assertThat(anyOrder).isEqualTo(inOrder);
        long scored = MONDAY + 40 * 24 * HOUR + 11 * HOUR;
        assertThat(anyOrder.expectation(scored)).isEqualTo(inOrder.expectation(scored));
        assertThat(BaselineSerde.encode(anyOrder)).isEqualTo(BaselineSerde.encode(inOrder));
    }

    @Test
    void shouldKeepALateHourWithinTheHistoryAndDropOneOlder() {
        Baseline b = new Baseline(new Baseline.Settings(48, 1, 3, 5, false, 0.1, 0.05));
        b.record(MONDAY + 100 * HOUR, 4);
        assertThat(b.record(MONDAY + 60 * HOUR, 1)).isTrue();
        assertThat(b.record(MONDAY + 52 * HOUR, 9)).isFalse();
        assertThat(b.valueAt(MONDAY + 60 * HOUR)).isEqualTo(1);
        assertThat(b.expectation(MONDAY + 101 * HOUR).hours()).containsExactly(MONDAY + 60 * HOUR, MONDAY + 100 * HOUR);
        // A newer hour in the same slot evicts the oldest.
        b.record(MONDAY + 108 * HOUR, 2);
        assertThat(b.valueAt(MONDAY + 60 * HOUR)).isNaN();
        assertThat(b.size()).isEqualTo(2);
    }

    @Test
    void shouldReplaceAnHourWithItsCorrectedValue() {
        Baseline b = new Baseline(FLAT);
        b.record(MONDAY, 1);
        b.record(MONDAY, 3);
        assertThat(b.valueAt(MONDAY)).isEqualTo(3);
        assertThat(b.size()).isEqualTo(1);
    }

    @Test
    void shouldKeepAnExcludedHourOutEvenWhenItsValueArrivesLater() {
        Baseline b = new Baseline(FLAT);
        for (int h = 0; h < 30; h++) {
            b.record(MONDAY + h * HOUR, 5);
        }
        b.exclude(MONDAY + 30 * HOUR);
        assertThat(b.record(MONDAY + 30 * HOUR, 500)).isFalse();
        assertThat(b.isExcluded(MONDAY + 30 * HOUR)).isTrue();
        assertThat(b.size()).isEqualTo(30);
        assertThat(b.expectation(MONDAY + 31 * HOUR).hours()).hasSize(30).doesNotContain(MONDAY + 30 * HOUR);
        Baseline back = BaselineSerde.decode(BaselineSerde.encode(b), FLAT);
        assertThat(back).isEqualTo(b);
        assertThat(back.isExcluded(MONDAY + 30 * HOUR)).isTrue();
    }

    @Test
    void shouldReadBackExactlyWhatItWroteInAboutNineBytesAnHour() {
        Baseline b = new Baseline(SEASONAL);
        Random random = new Random(9);
        for (long t = MONDAY; t < MONDAY + 28 * 24 * HOUR; t += HOUR) {
            if (random.nextInt(10) > 0) {
                b.record(t, random.nextDouble() * 100);
            }
        }
        byte[] bytes = new BaselineSerde(SEASONAL).serializer().serialize("t", b);
        Baseline back = new BaselineSerde(SEASONAL).deserializer().deserialize("t", bytes);
        assertThat(back).isEqualTo(b);
        assertThat(back.expectation(MONDAY + 28 * 24 * HOUR)).isEqualTo(b.expectation(MONDAY + 28 * 24 * HOUR));
        assertThat(bytes.length).isLessThan(b.size() * 10 + 8);
    }

    @Test
    void shouldKeepTheNewestHoursWhenTheHistoryIsShortenedOnRead() {
        Baseline b = new Baseline(FLAT);
        for (int h = 0; h < 100; h++) {
            b.record(MONDAY + h * HOUR, h);
        }
        Baseline.Settings shorter = new Baseline.Settings(24, 24, 3, 5, false, 0.1, 0.05);
        Baseline back = BaselineSerde.decode(BaselineSerde.encode(b), shorter);
        assertThat(back.size()).isEqualTo(24);
        assertThat(back.valueAt(MONDAY + 99 * HOUR)).isEqualTo(99);
        assertThat(back.valueAt(MONDAY + 75 * HOUR)).isNaN();
    }

    @Test
    void shouldRejectMalformedBytes() {
        Baseline b = new Baseline(FLAT);
        b.record(MONDAY, 1);
        byte[] bytes = BaselineSerde.encode(b);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> BaselineSerde.decode(truncated, FLAT)).isInstanceOf(SerializationException.class);
        byte[] version = bytes.clone();
        version[0] = 9;
        assertThatThrownBy(() -> BaselineSerde.decode(version, FLAT)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> b.record(MONDAY + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.record(MONDAY, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
