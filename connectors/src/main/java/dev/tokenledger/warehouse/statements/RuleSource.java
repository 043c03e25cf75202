package dev.tokenledger.warehouse.statements;

import java.util.Locale;

/**
 * The shared bucket a rule spreads: the cost of a feature, of a team, of an environment (such as {@code eval}), or the
 * {@code unallocated} bucket (calls the attribution stage could give no owner). Written {@code kind:id}, or
 * {@code unallocated} alone.
 */
public record RuleSource(Kind kind, String id) {

    public static final String UNALLOCATED = "unallocated";

    public enum Kind {
        FEATURE, TEAM, ENVIRONMENT, UNALLOCATED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses {@code feature:NAME}, {@code team:NAME}, {@code environment:NAME} or {@code unallocated}; null if none. */
    static RuleSource parse(String text) {
        String t = text.trim();
        if (t.equals(UNALLOCATED)) {
            return new RuleSource(Kind.UNALLOCATED, UNALLOCATED);
        }
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            return null;
        }
        String id = t.substring(colon + 1).trim();
        return switch (t.substring(0, colon).trim()) {
            case "feature" -> new RuleSource(Kind.FEATURE, id);
            case "team" -> new RuleSource(Kind.TEAM, id);
            case "environment" -> new RuleSource(Kind.ENVIRONMENT, id);
            default -> null;
        };
    }

    /** Does this bucket hold the cost cell? */
    boolean matches(CostCell cell, FeatureHome home) {
        return switch (kind) {
            case FEATURE -> cell.feature().equals(id);
            case TEAM -> !cell.unallocated() && id.equals(home.team());
            case ENVIRONMENT -> cell.environment().equals(id);
            case UNALLOCATED -> cell.unallocated();
        };
    }

    /** Can cost another rule gave to this feature be in this bucket (and so be passed on)? */
    boolean holdsReceived(FeatureHome home) {
        return switch (kind) {
            case FEATURE -> home.feature().equals(id);
            case TEAM -> id.equals(home.team());
            case ENVIRONMENT, UNALLOCATED -> false;
        };
    }

    @Override
    public String toString() {
        return kind == Kind.UNALLOCATED ? UNALLOCATED : kind.code() + ":" + id;
    }
}
