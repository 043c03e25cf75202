package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.usd;
import static dev.tokenledger.govern.PeriodTest.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.RateBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRateTest {

    final RunRate rate = new RunRate(Duration.ofHours(24));

    @Test
    void shouldSumOnlyTheTrailingWindow() {
        List<RateBucket> buckets = new ArrayList<>();
        rate.add(buckets, ms("2026-11-10T00:30:00Z"), usd("100"));
        rate.add(buckets, ms("2026-11-10T12:10:00Z"), usd("2"));
        rate.add(buckets, ms("2026-11-11T00:10:00Z"), usd("3"));

        // 2026-11-11T00:10: the 24 hourly buckets from 2026-11-10T01:00 to 2026-11-11T00:00
        assertThat(rate.trailing(buckets, ms("2026-11-11T00:10:00Z"))).isEqualTo(usd("5"));
        assertThat(buckets).hasSize(2);
    }

    @Test
    void shouldIgnoreCallsOlderThanTheWindowForTheRate() {
        List<RateBucket> buckets = new ArrayList<>();
        rate.add(buckets, ms("2026-11-11T00:10:00Z"), usd("3"));
        rate.add(buckets, ms("2026-11-09T00:10:00Z"), usd("50"));

        assertThat(rate.trailing(buckets, ms("2026-11-11T00:10:00Z"))).isEqualTo(usd("3"));
    }

    @Test
    void shouldProjectTheTrailingRateToThePeriodEnd() {
        List<RateBucket> buckets = new ArrayList<>();
        // $1 in each hour of a day: $24 over the trailing 24h, i.e. $1/h.
        for (int h = 0; h < 24; h++) {
            rate.add(buckets, ms("2026-11-10T00:00:00Z") + h * 3_600_000L, usd("1"));
        }
        long t = ms("2026-11-10T23:00:00Z");
        // window measured from 2026-11-10T00:00 to t: 23h holding $24; 20 days and 1 hour (481h) remain to month end.
        var projection = rate.projection(usd("100"), buckets, t, ms("2026-12-01T00:00:00Z"));
        assertThat(projection).isEqualByComparingTo(usd("100").add(usd("24").multiply(java.math.BigDecimal.valueOf(481))
                .divide(java.math.BigDecimal.valueOf(23), 12, java.math.RoundingMode.HALF_EVEN)));
    }

    @Test
    void shouldProjectNothingMoreAtThePeriodEnd() {
        List<RateBucket> buckets = new ArrayList<>();
        rate.add(buckets, ms("2026-11-30T23:00:00Z"), usd("5"));
        assertThat(rate.projection(usd("7"), buckets, ms("2026-12-01T00:00:00Z"), ms("2026-12-01T00:00:00Z")))
                .isEqualTo(usd("7"));
    }
}
