package dev.tokenledger.warehouse.statements;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VarianceSplitTest {

    private static VarianceSplit.Segment seg(long requests, String cost) {
        return new VarianceSplit.Segment(requests, new BigDecimal(cost));
    }

    @Test
    void shouldSplitTheChangeIntoVolumeMixAndRate() {
        // Prior: A 10 requests for 10.00 (1.00 each), B 10 for 30.00 (3.00): 20 requests, 40.00.
        // Now:   A 5 for 5.00 (1.00),               B 25 for 100.00 (4.00): 30 requests, 105.00. Change 65.00.
        // volume = (30 - 20) x 40 / 20 = 20; mix = (5 - 15) x 1 + (25 - 15) x 3 = 20; rate = 5 x 0 + 25 x (4 - 3) = 25.
        VarianceSplit.Parts parts = VarianceSplit.split(Map.of("A", seg(10, "10"), "B", seg(10, "30")),
                Map.of("A", seg(5, "5"), "B", seg(25, "100")));
        assertThat(parts.change()).isEqualByComparingTo("65");
        assertThat(parts.volume()).isEqualByComparingTo("20");
        assertThat(parts.mix()).isEqualByComparingTo("20");
        assertThat(parts.rate()).isEqualByComparingTo("25");
    }

    @Test
    void shouldSumToTheChangeExactlyWhenTheUnitCostsDoNotDivide() {
        // Prior A: 3 requests for 1.00; now A: 7 for 2.00 and a new segment B: 2 for 0.50.
        VarianceSplit.Parts parts = VarianceSplit.split(Map.of("A", seg(3, "1.000000000000")),
                Map.of("A", seg(7, "2.000000000000"), "B", seg(2, "0.500000000000")));
        assertThat(parts.change()).isEqualTo(new BigDecimal("1.500000000000"));
        assertThat(parts.volume().add(parts.mix()).add(parts.rate())).isEqualTo(parts.change());
        // volume = (9 - 3) x 1 / 3 = 2; B is new: its prior unit cost is taken as 0.25, so it is mix, not rate.
        assertThat(parts.volume()).isEqualTo(new BigDecimal("2.000000000000"));
        // mix = (7 - 9) x 1/3 + (2 - 0) x 0.25 = -0.666666666667 + 0.5; rate = 7 x (2/7 - 1/3) = -0.333333333333.
        assertThat(parts.mix()).isEqualTo(new BigDecimal("-0.166666666667"));
        assertThat(parts.rate()).isEqualTo(new BigDecimal("-0.333333333333"));
    }

    @Test
    void shouldCallEverythingVolumeWithoutAPriorMonth() {
        VarianceSplit.Parts parts = VarianceSplit.split(Map.of(), Map.of("A", seg(4, "12.5")));
        assertThat(parts.volume()).isEqualByComparingTo("12.5");
        assertThat(parts.mix()).isZero();
        assertThat(parts.rate()).isZero();
    }
}
