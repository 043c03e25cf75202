package dev.tokenledger.warehouse;

import java.time.YearMonth;
import java.util.Locale;
import java.util.Optional;

/**
 * What a report is asked for.
 *
 * @param month the UTC calendar month; empty means the latest month that has data for that report
 * @param by    for {@code spend}: team, feature, customer or cohort; for {@code tasks}: feature, model or
 *              feature,model
 * @param top   keep only the first N rows in the report's order; 0 keeps all
 * @param provider for {@code reconciliation}, {@code variance} and {@code close}: one provider only; empty means all
 */
public record ReportOptions(Optional<YearMonth> month, String by, int top, Optional<String> provider) {

    public static final String BY_TEAM = "team";
    public static final String BY_FEATURE = "feature";
    public static final String BY_CUSTOMER = "customer";
    public static final String BY_COHORT = "cohort";
    public static final String BY_MODEL = "model";
    public static final String BY_FEATURE_MODEL = "feature,model";
    /** The dimensions {@code spend} groups by, and those {@code tasks} does. */
    public static final java.util.List<String> SPEND_DIMENSIONS = java.util.List.of(BY_TEAM, BY_FEATURE, BY_CUSTOMER, BY_COHORT);
    public static final java.util.List<String> TASK_DIMENSIONS = java.util.List.of(BY_FEATURE, BY_MODEL, BY_FEATURE_MODEL);

    public ReportOptions {
        month = month == null ? Optional.empty() : month;
        provider = provider == null ? Optional.empty() : provider.map(String::trim).filter(p -> !p.isEmpty());
        by = by == null ? BY_TEAM : by.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (!SPEND_DIMENSIONS.contains(by) && !TASK_DIMENSIONS.contains(by)) {
            throw new IllegalArgumentException("unknown --by '" + by
                    + "', expected team, feature, customer or cohort (spend), feature, model or feature,model (tasks)");
        }
        if (top < 0) {
            throw new IllegalArgumentException("--top must be 0 (all) or more, was " + top);
        }
    }

    /** The latest month, by team, all rows. */
    public static ReportOptions defaults() {
        return new ReportOptions(Optional.empty(), BY_TEAM, 0, Optional.empty());
    }

    public ReportOptions withMonth(YearMonth value) {
        return new ReportOptions(Optional.of(value), by, top, provider);
    }

    /** Parses {@code YYYY-MM}. */
    public ReportOptions withMonth(String yearMonth) {
        try {
            return withMonth(YearMonth.parse(yearMonth.trim()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--month must be YYYY-MM, was '" + yearMonth + "'", e);
        }
    }

    public ReportOptions withBy(String value) {
        return new ReportOptions(month, value, top, provider);
    }

    public ReportOptions withTop(int value) {
        return new ReportOptions(month, by, value, provider);
    }

    public ReportOptions withProvider(String value) {
        return new ReportOptions(month, by, top, Optional.ofNullable(value));
    }
}
