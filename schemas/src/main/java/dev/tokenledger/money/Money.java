package dev.tokenledger.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An amount of US dollars, exact.
 *
 * <p>The one rule for money in tokenledger: amounts are held at {@link #SCALE} decimal places
 * (1e-12 USD, a millionth of a micro-dollar) and the only rounding ever applied is
 * {@link #ROUNDING} (HALF_EVEN, banker's rounding) when a product of tokens and a per-token rate
 * has more places than that. Sums are exact: a sum of amounts is never rounded again, so the sum
 * of per-class costs is the event total and the sum of events is the rollup total, to the last digit.
 */
public final class Money implements Comparable<Money> {

    /** Decimal places of every stored amount; matches the Avro {@code decimal(38,12)} type. */
    public static final int SCALE = 12;
    /** The single rounding rule, applied once, where a price times a token count is taken. */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    public static final Money ZERO = new Money(BigDecimal.ZERO.setScale(SCALE));

    private final BigDecimal amount;

    private Money(BigDecimal amount) {
        this.amount = amount;
    }

    /** An amount that must already fit the scale; throws if it would need rounding. */
    public static Money of(BigDecimal usd) {
        Objects.requireNonNull(usd, "usd");
        return new Money(usd.setScale(SCALE, RoundingMode.UNNECESSARY));
    }

    /** Parses a decimal string such as {@code "0.000125"}; throws if it has more than 12 places. */
    /** Plain decimal notation only, the rule every reader shares ({@link PlainDecimal}): no exponent, at most 12 decimals. */
    public static Money parse(String usd) {
        return of(PlainDecimal.parseMoney("amount", usd.trim(), true));
    }

    /** Null-tolerant reading of an Avro decimal field. */
    public static Money ofNullable(BigDecimal usd) {
        return usd == null ? ZERO : of(usd);
    }

    /** {@code count × rate}, rounded once with {@link #ROUNDING} to {@link #SCALE} places. */
    public static Money times(long count, BigDecimal ratePerUnit) {
        if (count == 0 || ratePerUnit == null || ratePerUnit.signum() == 0) {
            return ZERO;
        }
        return new Money(ratePerUnit.multiply(BigDecimal.valueOf(count)).setScale(SCALE, ROUNDING));
    }

    public Money plus(Money other) {
        if (other.amount.signum() == 0) return this;
        if (amount.signum() == 0) return other;
        return new Money(amount.add(other.amount));
    }

    public Money minus(Money other) {
        return new Money(amount.subtract(other.amount));
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public int signum() {
        return amount.signum();
    }

    /** The amount at exactly {@link #SCALE} places, as Avro's decimal(38,12) requires. */
    public BigDecimal toBigDecimal() {
        return amount;
    }

    /** Plain decimal string with all 12 places, e.g. {@code "0.000125000000"}; never scientific notation. */
    public String toPlainString() {
        return amount.toPlainString();
    }

    @Override
    public int compareTo(Money o) {
        return amount.compareTo(o.amount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Money m && amount.equals(m.amount);
    }

    @Override
    public int hashCode() {
        return amount.hashCode();
    }

    @Override
    public String toString() {
        return "USD " + amount.toPlainString();
    }
}
