package dev.tokenledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldTakeTheNearestRankOfUnsortedSamples() {
        List<Long> samples = List.of(40L, 10L, 30L, 20L, 50L, 60L, 70L, 80L, 90L, 100L);

        assertThat(Percentiles.nearestRank(samples, 0.50)).isEqualTo(50L);
        assertThat(Percentiles.nearestRank(samples, 0.99)).isEqualTo(100L);
        assertThat(Percentiles.nearestRank(samples, 0.10)).isEqualTo(10L);
    }

    @Test
    void shouldSayMinusOneWithoutSamples() {
        assertThat(Percentiles.nearestRank(List.of(), 0.99)).isEqualTo(-1L);
    }
}
