package dev.tokenledger.money;

/** Recognises plain decimal text ({@code 12}, {@code 0.05}): no exponent, no grouping, no stray characters. */
public final class PlainDecimal {

    private PlainDecimal() {
    }

    /**
     * @param allowSign whether a leading {@code +} or {@code -} is accepted (a validator may then judge the sign)
     */
    public static boolean matches(String s, boolean allowSign) {
        int i = allowSign && (s.startsWith("-") || s.startsWith("+")) ? 1 : 0;
        int integerDigits = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            integerDigits++;
        }
        if (integerDigits == 0) {
            return false;
        }
        if (i == s.length()) {
            return true;
        }
        if (s.charAt(i) != '.' || i == s.length() - 1) {
            return false;
        }
        for (i++; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
