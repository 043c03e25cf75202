package dev.tokenledger.price;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Exact scale changes for rates and fees: a price that does not fit is rejected, never rounded. */
final class Decimals {

    /** Scale of per-token rates: Avro decimal(38,18). */
    static final int RATE_SCALE = 18;
    /** Scale of per-call fees: Avro decimal(38,12), like money. */
    static final int FEE_SCALE = 12;
    static final BigDecimal PER_MILLION = BigDecimal.ONE.movePointRight(6);

    private Decimals() {
    }

    /** The value at scale 18, or null when that would need rounding. */
    static BigDecimal rate(BigDecimal v) {
        return exact(v, RATE_SCALE);
    }

    /** The value at scale 12, or null when that would need rounding. */
    static BigDecimal fee(BigDecimal v) {
        return exact(v, FEE_SCALE);
    }

    private static BigDecimal exact(BigDecimal v, int scale) {
        try {
            return v.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException tooManyPlaces) {
            return null;
        }
    }
}
