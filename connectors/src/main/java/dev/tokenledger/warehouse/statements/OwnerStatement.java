package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One owner's statement for a month: exact amounts (12 places) beside the cents they are rounded to. In cents,
 * {@code total = direct + shared}, {@code shared} is the sum of the shared lines, and the direct lines sum to
 * {@code direct}; across the month's statements the totals sum to the month's total rounded, to the cent.
 *
 * @param scope    the team, cost center or product line; {@code unallocated} for the bucket no one owns
 * @param features the features whose cost is reported here
 * @param teams    their teams
 * @param byDay    direct cost per day, exact (the chart)
 */
public record OwnerStatement(String scope, String owner, Amount direct, Amount sharedIn, Amount sharedOut, Amount shared,
                             Amount total, List<DirectLine> directLines, List<SharedLine> sharedLines, Change change,
                             Set<String> features, Set<String> teams, Map<LocalDate, BigDecimal> byDay) {

    /** An exact amount and its rounded cents. */
    public record Amount(BigDecimal exact, BigDecimal cents) {
    }

    /** Direct cost of one feature, model and environment. */
    public record DirectLine(String feature, String model, String environment, long requests, Amount cost) {
    }

    /**
     * What one rule moved into (received) or out of (given: cost of this owner's that the rule's bucket took) this
     * statement. {@code share} says what this owner's weight was on the rule's basis.
     */
    public record SharedLine(String rule, String source, String method, String basis, String share, Amount received,
                             Amount given) {
        public Amount net() {
            return new Amount(received.exact().add(given.exact()), received.cents().add(given.cents()));
        }
    }

    /**
     * The change from the prior month: {@code total = volume + mix + rate + shared}, exactly and in cents; volume,
     * mix and rate split the direct cost's change ({@link VarianceSplit}), shared is the change of the shared cost.
     */
    public record Change(Amount priorTotal, Amount total, Amount volume, Amount mix, Amount rate, Amount shared) {
    }
}
