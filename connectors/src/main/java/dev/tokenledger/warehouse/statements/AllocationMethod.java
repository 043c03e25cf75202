package dev.tokenledger.warehouse.statements;

import java.util.Locale;

/** How a rule spreads its bucket over its targets. */
public enum AllocationMethod {
    /** The same share each. */
    EVEN,
    /** In proportion to the targets' retained direct cost of the month (their cost no rule pooled). */
    PROPORTIONAL,
    /** By the rule's weights, percentages that sum to exactly 100. */
    FIXED,
    /** In proportion to the targets' requests or tokens of the month (retained traffic, as for proportional). */
    TELEMETRY;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code even}, {@code proportional}, {@code fixed} or {@code telemetry}; null when it is none of them. */
    static AllocationMethod parse(String text) {
        for (AllocationMethod m : values()) {
            if (m.code().equals(text)) {
                return m;
            }
        }
        return null;
    }
}
