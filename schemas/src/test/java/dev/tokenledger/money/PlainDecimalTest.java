package dev.tokenledger.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one rule for amounts written as text, at its edges. */
class PlainDecimalTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "12, 12",
            "' 12.50 ', 12.50",
            "0.000000000001, 0.000000000001",
            "1.000000000000000, 1.000000000000",
            "99999999999999999999999999.999999999999, 99999999999999999999999999.999999999999",
            "007, 7"})
    void shouldReadPlainDecimalsAsWritten(String text, String expected) {
        BigDecimal value = PlainDecimal.parseMoney("amount_usd", text, false);
        assertThat(value).isEqualTo(new BigDecimal(expected)); // scale included: nothing rounded or padded
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E3", "1e-3", "+5", "1.", ".5", "", " ", "1,000", "$12", "12 USD", "1_000", "0x10",
            "NaN", "Infinity", "--1", "- 1", "1.2.3", "١٢"})
    void shouldRefuseAnythingButPlainNotation(String text) {
        assertThatThrownBy(() -> PlainDecimal.parseMoney("revenue_usd", text, true))
                .isInstanceOfSatisfying(PlainDecimal.Invalid.class, e -> {
                    assertThat(e.problem()).isEqualTo(PlainDecimal.Problem.NOT_PLAIN);
                    assertThat(e.getMessage()).startsWith("revenue_usd '").contains("not a plain decimal");
                });
    }

    @Test
    void shouldAcceptAMinusOnlyWhereANegativeMakesSense() {
        assertThat(PlainDecimal.parseMoney("revenue_usd", "-3.50", true)).isEqualTo(new BigDecimal("-3.50"));
        assertThatThrownBy(() -> PlainDecimal.parseMoney("amount_usd", "-3.50", false))
                .isInstanceOfSatisfying(PlainDecimal.Invalid.class, e -> {
                    assertThat(e.problem()).isEqualTo(PlainDecimal.Problem.NEGATIVE);
                    assertThat(e.getMessage()).isEqualTo("amount_usd '-3.50' must not be negative");
                });
    }

    @Test
    void shouldRefuseA13thDecimalAndA27thIntegerDigit() {
        assertThatThrownBy(() -> PlainDecimal.parseMoney("amount_usd", "0.0000000000001", false))
                .isInstanceOfSatisfying(PlainDecimal.Invalid.class,
                        e -> assertThat(e.problem()).isEqualTo(PlainDecimal.Problem.TOO_MANY_DECIMALS));
        assertThatThrownBy(() -> PlainDecimal.parseMoney("amount_usd", "123456789012345678901234567", false))
                .isInstanceOfSatisfying(PlainDecimal.Invalid.class,
                        e -> assertThat(e.problem()).isEqualTo(PlainDecimal.Problem.TOO_LARGE));
    }

    @Test
    void shouldHoldANumberTokenToTheSameLimits() {
        assertThat(PlainDecimal.exact("cost", new BigDecimal("1.5E-3"), 12)).isEqualTo(new BigDecimal("0.0015"));
        assertThatThrownBy(() -> PlainDecimal.exact("cost", new BigDecimal("1E40"), 12))
                .isInstanceOfSatisfying(PlainDecimal.Invalid.class,
                        e -> assertThat(e.problem()).isEqualTo(PlainDecimal.Problem.TOO_LARGE));
    }

    @Test
    void shouldLeaveTheScaleToTheCallerWhenAskedForNotationOnly() {
        assertThat(PlainDecimal.parse("input_per_token", "0.000000000000000001", false))
                .isEqualTo(new BigDecimal("0.000000000000000001"));
    }
}
