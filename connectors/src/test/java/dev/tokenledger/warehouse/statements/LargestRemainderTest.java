package dev.tokenledger.warehouse.statements;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class LargestRemainderTest {

    private static List<BigDecimal> d(String... values) {
        return java.util.Arrays.stream(values).map(BigDecimal::new).toList();
    }

    @Test
    void shouldSplitAHundredThreeWaysSoThePartsSumToIt() {
        assertThat(LargestRemainder.split(new BigDecimal("100.00"), d("1", "1", "1"), 2))
                .containsExactly(new BigDecimal("33.34"), new BigDecimal("33.33"), new BigDecimal("33.33"));
        assertThat(LargestRemainder.split(new BigDecimal("100"), d("1", "1", "1"), 12)).containsExactly(
                new BigDecimal("33.333333333334"), new BigDecimal("33.333333333333"), new BigDecimal("33.333333333333"));
    }

    @Test
    void shouldGiveTheMissingCentToTheLargestRemainder() {
        // floors 1.00 + 2.00 + 3.99 = 6.99, one cent short of 7.00: the remainders are .5, .5 and .0, the first .5 wins.
        assertThat(LargestRemainder.round(d("1.005", "2.005", "3.990"), 2))
                .containsExactly(new BigDecimal("1.01"), new BigDecimal("2.00"), new BigDecimal("3.99"));
        // 0.004 three times is 0.012, which rounds to 0.01: one part carries it.
        assertThat(LargestRemainder.round(d("0.004", "0.004", "0.004"), 2))
                .containsExactly(new BigDecimal("0.01"), new BigDecimal("0.00"), new BigDecimal("0.00"));
        // 2.675 (remainder .5) beats 1.333 (.3) and 3.992 (.2): floors 6.99, the total 8.00.
        assertThat(LargestRemainder.round(d("1.333", "2.675", "3.992"), 2))
                .containsExactly(new BigDecimal("1.33"), new BigDecimal("2.68"), new BigDecimal("3.99"));
    }

    @Test
    void shouldRoundNegativePartsByFloorToo() {
        // -1.005 floors to -1.01 (remainder .5), 1.005 to 1.00 (remainder .5); the sum 0 needs one cent back: the first.
        assertThat(LargestRemainder.round(d("-1.005", "1.005"), 2))
                .containsExactly(new BigDecimal("-1.00"), new BigDecimal("1.00"));
    }

    @Test
    void shouldHitAGivenTargetAndSplitEvenlyOnZeroWeights() {
        assertThat(LargestRemainder.round(d("3.333333333334", "3.333333333333", "3.333333333333"), new BigDecimal("10.00"), 2))
                .containsExactly(new BigDecimal("3.34"), new BigDecimal("3.33"), new BigDecimal("3.33"));
        assertThat(LargestRemainder.split(new BigDecimal("0.05"), d("0", "0"), 2))
                .containsExactly(new BigDecimal("0.03"), new BigDecimal("0.02"));
        assertThat(LargestRemainder.split(new BigDecimal("10"), d("600", "900"), 12))
                .containsExactly(new BigDecimal("4.000000000000"), new BigDecimal("6.000000000000"));
    }
}
