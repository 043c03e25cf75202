package dev.tokenledger.govern;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodTest {

    static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldStartMonthsAtMidnightUtcOnTheFirst() {
        assertThat(Period.MONTHLY.start(ms("2026-11-30T23:59:59.999Z"))).isEqualTo(ms("2026-11-01T00:00:00Z"));
        assertThat(Period.MONTHLY.start(ms("2026-12-01T00:00:00Z"))).isEqualTo(ms("2026-12-01T00:00:00Z"));
        assertThat(Period.MONTHLY.end(ms("2026-12-01T00:00:00Z"))).isEqualTo(ms("2027-01-01T00:00:00Z"));
        assertThat(Period.MONTHLY.end(ms("2028-02-01T00:00:00Z"))).isEqualTo(ms("2028-03-01T00:00:00Z"));
    }

    @Test
    void shouldStartDaysAtMidnightUtc() {
        assertThat(Period.DAILY.start(ms("2026-11-02T10:05:00Z"))).isEqualTo(ms("2026-11-02T00:00:00Z"));
        assertThat(Period.DAILY.end(ms("2026-11-02T00:00:00Z"))).isEqualTo(ms("2026-11-03T00:00:00Z"));
    }

    @Test
    void shouldParseOnlyTheContractNames() {
        assertThat(Period.parse("monthly")).contains(Period.MONTHLY);
        assertThat(Period.parse("daily")).contains(Period.DAILY);
        assertThat(Period.parse("weekly")).isEmpty();
    }
}
