package dev.tokenledger.warehouse;

import dev.tokenledger.forecast.Horizon;
import dev.tokenledger.forecast.KnownChange;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code report forecast} is asked for.
 *
 * @param by      the scope: product_line, team, feature or cohort
 * @param horizon to the end of the month, or of the next quarter
 * @param asOf    the first day forecast (only days before it are used); empty: the day after the latest day with data,
 *                or today (UTC) if that is later than today
 * @param perDay  one row per scope and day instead of per scope and month
 * @param changes known unit-cost changes (price-book changes, model swaps)
 */
public record ForecastOptions(String by, Horizon horizon, Optional<LocalDate> asOf, boolean perDay,
                              List<KnownChange> changes) {

    public static final List<String> SCOPES = List.of("product_line", "team", "feature", "cohort");

    public ForecastOptions {
        by = by == null ? "team" : by.trim().toLowerCase(Locale.ROOT);
        if (!SCOPES.contains(by)) {
            throw new IllegalArgumentException("forecast: unknown --by '" + by + "', expected one of "
                    + String.join(", ", SCOPES));
        }
        horizon = horizon == null ? Horizon.MONTH : horizon;
        asOf = asOf == null ? Optional.empty() : asOf;
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** Parses the command line's text forms; any of them may be null for its default. */
    public static ForecastOptions parse(String by, String horizon, String asOf, String period, List<String> changes) {
        Optional<LocalDate> day;
        try {
            day = asOf == null ? Optional.empty() : Optional.of(LocalDate.parse(asOf.trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--as-of must be YYYY-MM-DD, was '" + asOf + "'", e);
        }
        String per = period == null ? "month" : period.trim().toLowerCase(Locale.ROOT);
        if (!per.equals("month") && !per.equals("day")) {
            throw new IllegalArgumentException("--period must be day or month, was '" + period + "'");
        }
        List<KnownChange> known = new ArrayList<>();
        for (String change : changes == null ? List.<String>of() : changes) {
            known.add(parseChange(change));
        }
        return new ForecastOptions(by, horizon == null ? null : Horizon.parse(horizon), day, per.equals("day"), known);
    }

    /** {@code DATE:SCOPE:FACTOR}, SCOPE {@code *} for every scope: e.g. {@code 2026-12-15:search:0.8}. */
    static KnownChange parseChange(String text) {
        String[] parts = text.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("--change must be DATE:SCOPE:FACTOR (e.g. 2026-12-15:search:0.8), was '"
                    + text + "'");
        }
        try {
            return new KnownChange(LocalDate.parse(parts[0].trim()), parts[1].trim(), Double.parseDouble(parts[2].trim()));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("--change must be DATE:SCOPE:FACTOR (e.g. 2026-12-15:search:0.8), was '"
                    + text + "'", e);
        }
    }
}
