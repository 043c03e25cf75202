package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One day's direct cost of one team, feature, environment and model: the daily rollups summed over customers and
 * providers. {@code tokens} is input plus output tokens.
 */
public record CostCell(LocalDate day, String team, String feature, String environment, String model, long requests,
                       long tokens, BigDecimal costUsd) {

    /** The attribution stage's bucket for calls it could give no owner. */
    public boolean unallocated() {
        return feature.equals(RuleSource.UNALLOCATED);
    }
}
