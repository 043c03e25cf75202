package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VolumeProfileTest {

    static final Instant START = Instant.parse("2026-11-02T00:00:00Z"); // a Monday
    static final Instant END = START.plus(Duration.ofDays(28));

    @Test
    void shouldShapeTheClockByWeekdayAndTrendAndKeepTheSpan() {
        Instant middle = START.plus(Duration.ofDays(14));
        long count = 28 * 2_400L;
        GeneratorOptions options = GeneratorOptions.defaults(1, START)
                .withEventsPerSecondOfEventTime(count / (28 * 86_400.0))
                .withVolume(VolumeProfile.businessWeek(0.01, middle));
        EventClock clock = new EventClock(options);
        SplittableRandom random = new SplittableRandom(1);
        Map<DayOfWeek, Long> perWeekday = new EnumMap<>(DayOfWeek.class);
        long firstWeek = 0;
        long lastWeek = 0;
        Instant last = START;
        for (long i = 0; i < count; i++) {
            Instant t = clock.next(random);
            last = t.isAfter(last) ? t : last;
            perWeekday.merge(t.atOffset(ZoneOffset.UTC).getDayOfWeek(), 1L, Long::sum);
            firstWeek += t.isBefore(START.plus(Duration.ofDays(7))) ? 1 : 0;
            lastWeek += t.isBefore(END.minus(Duration.ofDays(7))) ? 0 : 1;
        }
        // Over whole weeks centred on the pivot the mean rate is the options' rate: the span ends where a flat one would.
        assertThat(Duration.between(last, END).abs()).isLessThan(Duration.ofMinutes(5));
        // Saturday runs at 0.80 of Tuesday's 1.10 (the trend is the same for both over the four weeks).
        double saturdayToTuesday = (double) perWeekday.get(DayOfWeek.SATURDAY) / perWeekday.get(DayOfWeek.TUESDAY);
        assertThat(saturdayToTuesday).isBetween(0.80 / 1.10 - 0.02, 0.80 / 1.10 + 0.02);
        // 1% a day in weekly steps: the last week runs at 1 + 1.5 × 0.07 of the pivot, the first at 1 − 1.5 × 0.07.
        assertThat((double) lastWeek / firstWeek).isBetween(1.105 / 0.895 - 0.02, 1.105 / 0.895 + 0.02);
    }

    @Test
    void shouldLeaveAFlatClockSteady() {
        assertThat(VolumeProfile.FLAT.isFlat()).isTrue();
        assertThat(VolumeProfile.FLAT.intensity(START.toEpochMilli())).isEqualTo(1.0);
        assertThat(VolumeProfile.businessWeek(0, START).isFlat()).isFalse();
        assertThatThrownBy(() -> new VolumeProfile(List.of(1.0, 1.0), 0, START)).isInstanceOf(IllegalArgumentException.class);
    }
}
