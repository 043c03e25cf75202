package dev.tokenledger.forecast;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A change of unit cost the forecaster cannot see in the history yet, or should not wait to detect: a price-book
 * change, a model swap. From {@code from} on, the scope's cost per request is multiplied by {@code unitCostFactor}
 * (0.5: half the price). A change dated inside the history instead marks where the recent unit cost starts: the
 * level is measured on the days from it on only.
 *
 * @param scope the scope it applies to (as the forecast names it, e.g. {@code search} for a team), or {@link #ALL}
 */
public record KnownChange(LocalDate from, String scope, double unitCostFactor) {

    public static final String ALL = "*";

    public KnownChange {
        Objects.requireNonNull(from, "from");
        scope = scope == null || scope.isBlank() ? ALL : scope;
        if (!(unitCostFactor > 0) || Double.isInfinite(unitCostFactor)) {
            throw new IllegalArgumentException("unit-cost factor must be a positive number, was " + unitCostFactor);
        }
    }

    public boolean appliesTo(String forecastScope) {
        return ALL.equals(scope) || scope.equals(forecastScope);
    }
}
