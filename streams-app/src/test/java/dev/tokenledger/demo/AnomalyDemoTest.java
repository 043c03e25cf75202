package dev.tokenledger.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class AnomalyDemoTest {

    @Test
    void theDemosDaysEndAtTheLastMidnightBeforeNow() {
        AnomalyDemo.Traffic t = AnomalyDemo.demo(42, Instant.parse("2026-12-02T03:00:00Z"), AnomalyDemo.DEFAULT_COUNT);
        assertThat(t.options().start()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z").minus(AnomalyDemo.DAYS, ChronoUnit.DAYS));
        assertThat(t.plantedFrom()).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
    }

    @Test
    void theMainMonthHoldsMostOfTheDays() {
        // Four weeks ending on the 2nd: 27 days of November, one of December.
        assertThat(AnomalyDemo.mainMonth(Instant.parse("2026-11-04T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z")))
                .isEqualTo(YearMonth.of(2026, 11));
        // Ending on the 20th: 19 days of December, 9 of November.
        assertThat(AnomalyDemo.mainMonth(Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-12-20T00:00:00Z")))
                .isEqualTo(YearMonth.of(2026, 12));
        // A tie goes to the later month; a span inside one day is that day's month.
        assertThat(AnomalyDemo.mainMonth(Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-12-03T00:00:00Z")))
                .isEqualTo(YearMonth.of(2026, 12));
        assertThat(AnomalyDemo.mainMonth(Instant.parse("2026-11-30T10:00:00Z"), Instant.parse("2026-11-30T11:00:00Z")))
                .isEqualTo(YearMonth.of(2026, 11));
    }
}
