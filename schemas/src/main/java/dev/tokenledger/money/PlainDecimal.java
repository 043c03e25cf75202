package dev.tokenledger.money;

import java.math.BigDecimal;

/**
 * The one rule for an exact amount written as text in anything tokenledger reads: budget and revenue
 * CSV files, decimal strings in JSON usage events, prices in price books. Plain decimal notation
 * ({@code 12}, {@code 0.05}, {@code -3.50} where a negative is allowed): at least one digit before an
 * optional point and at least one after it; no exponent, {@code +}, grouping, currency symbol or
 * surrounding text. Never rounded: at most {@code maxFractionDigits} decimals once trailing zeros are
 * dropped, and at most {@code 38 - maxFractionDigits} integer digits, the SQL/Avro decimal(38, s) every
 * amount ends up in.
 *
 * <p>It lives in the schemas module, with {@code Money}, at the bottom of the module graph, so every
 * reader can use it.
 */
public final class PlainDecimal {

    /** Money everywhere in tokenledger is decimal(38,12). */
    public static final int MONEY_SCALE = 12;
    private static final int PRECISION = 38;

    /** Why a text is not an amount, for readers that report machine-readable reasons. */
    public enum Problem { NOT_PLAIN, NEGATIVE, TOO_MANY_DECIMALS, TOO_LARGE }

    /** A refused amount; the message names the field and quotes the text, ready for a line-numbered report. */
    public static final class Invalid extends IllegalArgumentException {
        private final Problem problem;

        Invalid(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private PlainDecimal() {
    }

    /** A money amount (at most 12 decimals); surrounding blanks are ignored, as CSV cells often carry them. */
    public static BigDecimal parseMoney(String field, String text, boolean negativeAllowed) {
        return parse(field, text, negativeAllowed, MONEY_SCALE);
    }

    /**
     * The amount exactly as written (its scale kept), except that trailing zeros beyond
     * {@code maxFractionDigits} are dropped.
     *
     * @throws Invalid naming {@code field} when the text breaks the rule
     */
    public static BigDecimal parse(String field, String text, boolean negativeAllowed, int maxFractionDigits) {
        return exact(field, parse(field, text, negativeAllowed), maxFractionDigits);
    }

    /**
     * Notation and sign only, the value exactly as written, for readers whose scale depends on the field
     * (price books: per-token rates hold 18 decimals, per-million rates and fees 12) and is checked there.
     *
     * @throws Invalid naming {@code field} when the text is not plain decimal notation
     */
    public static BigDecimal parse(String field, String text, boolean negativeAllowed) {
        String s = text == null ? "" : text.strip();
        boolean negative = s.startsWith("-");
        if (!plain(s, negative ? 1 : 0)) {
            throw new Invalid(Problem.NOT_PLAIN, field + " '" + abbreviate(s) + "' is not a plain decimal such as "
                    + (negativeAllowed ? "12.50 or -3" : "12.50") + " (no exponent, + sign, separators or currency symbol)");
        }
        if (negative && !negativeAllowed) {
            throw new Invalid(Problem.NEGATIVE, field + " '" + abbreviate(s) + "' must not be negative");
        }
        return new BigDecimal(s);
    }

    /**
     * Checks a value that arrived as a number token of its format (a JSON number, which may carry an
     * exponent by the JSON grammar and is read from its text, never through a double) against the same
     * decimals and size limits. The sign is the caller's business.
     */
    public static BigDecimal exact(String field, BigDecimal value, int maxFractionDigits) {
        BigDecimal v = value;
        if (v.scale() > maxFractionDigits) {
            v = v.stripTrailingZeros();
            if (v.scale() > maxFractionDigits) {
                throw new Invalid(Problem.TOO_MANY_DECIMALS, field + " " + abbreviate(value.toPlainString())
                        + " has more than " + maxFractionDigits + " decimal places");
            }
            v = v.setScale(maxFractionDigits);
        }
        if (v.precision() - v.scale() > PRECISION - maxFractionDigits) {
            throw new Invalid(Problem.TOO_LARGE, field + " " + abbreviate(value.toPlainString()) + " is too large for decimal("
                    + PRECISION + "," + maxFractionDigits + ")");
        }
        return v;
    }

    /** digits [ '.' digits ] from {@code start} to the end. */
    private static boolean plain(String s, int start) {
        int i = start;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == start) {
            return false;
        }
        if (i == s.length()) {
            return true;
        }
        if (s.charAt(i) != '.' || i == s.length() - 1) {
            return false;
        }
        for (i++; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
