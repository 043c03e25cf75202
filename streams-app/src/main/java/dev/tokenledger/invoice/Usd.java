package dev.tokenledger.invoice;

import dev.tokenledger.money.Money;
import dev.tokenledger.money.PlainDecimal;
import java.math.BigDecimal;

/** Amounts as the contract holds them: exact, at the one money scale, never rounded (more places is an error). */
final class Usd {

    private Usd() {
    }

    /** A decimal string in plain notation (negative allowed: credits). */
    static BigDecimal parse(String field, String text) {
        return Money.of(PlainDecimal.parseMoney(field, text, true)).toBigDecimal();
    }

    /** A value already read exactly (a JSON number's text), checked against the same limits. */
    static BigDecimal exact(String field, BigDecimal value) {
        return Money.of(PlainDecimal.exact(field, value, PlainDecimal.MONEY_SCALE)).toBigDecimal();
    }

    /** A quantity at the same scale (decimal(38,12)): block sizes multiplied out can leave a fraction. */
    static BigDecimal quantity(String field, BigDecimal value) {
        return exact(field, value);
    }
}
