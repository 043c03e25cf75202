package dev.tokenledger.whatif;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.Map;

/**
 * A percent change per token class ({@code output: -10} is 10% fewer output tokens). A scaled count is rounded
 * half-up to a whole token: 1.2 x 7 = 8.4 gives 8, 1.2 x 5 = 6 exactly, 1.1 x 5 = 5.5 gives 6.
 */
record TokenFactors(Map<TokenClass, BigDecimal> percent) {

    static final TokenFactors NONE = new TokenFactors(Map.of());

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    TokenFactors {
        EnumMap<TokenClass, BigDecimal> copy = new EnumMap<>(TokenClass.class);
        copy.putAll(percent);
        percent = java.util.Collections.unmodifiableMap(copy);
    }

    /** The same change for every class. */
    static TokenFactors all(BigDecimal pct) {
        EnumMap<TokenClass, BigDecimal> map = new EnumMap<>(TokenClass.class);
        for (TokenClass c : TokenClass.values()) {
            map.put(c, pct);
        }
        return new TokenFactors(map);
    }

    boolean isNone() {
        return percent.values().stream().allMatch(p -> p.signum() == 0);
    }

    /** {@code tokens x (1 + pct / 100)}, half-up to a whole token; never below zero. */
    long scale(TokenClass c, long tokens) {
        BigDecimal pct = percent.get(c);
        if (pct == null || pct.signum() == 0 || tokens == 0) {
            return tokens;
        }
        BigDecimal factor = BigDecimal.ONE.add(pct.divide(HUNDRED));
        long scaled = BigDecimal.valueOf(tokens).multiply(factor).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return Math.max(0, scaled);
    }
}
