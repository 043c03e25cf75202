package dev.tokenledger.warehouse.statements;

/** What a rule's targets name, and what statements are drawn up per: a team, a cost center or a product line. */
public enum TargetLevel {
    TEAM("team"), COST_CENTER("cost_center"), PRODUCT_LINE("product_line");

    private final String code;

    TargetLevel(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** {@code team}, {@code cost_center} or {@code product_line}; null when it is none of them. */
    public static TargetLevel parse(String text) {
        for (TargetLevel level : values()) {
            if (level.code.equals(text)) {
                return level;
            }
        }
        return null;
    }

    /** The home's scope at this level; null when the registry gives the feature none. */
    String of(FeatureHome home) {
        return switch (this) {
            case TEAM -> home.team();
            case COST_CENTER -> home.costCenter();
            case PRODUCT_LINE -> home.productLine();
        };
    }
}
