package dev.tokenledger.whatif;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.List;

/**
 * A month re-priced under a scenario: one row per feature (by name) and the total.
 *
 * @param repriceMismatches calls the baseline book re-prices differently from what the pipeline recorded
 * @param repriceDifference the sum of (re-price - recorded) over those calls
 * @param notes             sentences about assumptions the numbers rest on
 */
public record WhatIfResult(String scenario, List<Row> rows, Row total, long repriceMismatches, Money repriceDifference,
                           List<String> notes) {

    /**
     * @param successfulTasks      the feature's successful tasks in the month; null without task outcomes
     * @param costPerSuccessBefore the cost of its tasked calls / successful tasks
     * @param successfulTasksAfter the expected successful tasks under the scenario (a substitute's success rate)
     * @param costPerSuccessAfter  the scenario cost of its tasked calls / expected successful tasks
     */
    public record Row(String feature, long calls, long changedCalls, Money actual, Money scenario,
                      Long successfulTasks, BigDecimal costPerSuccessBefore, BigDecimal successfulTasksAfter,
                      BigDecimal costPerSuccessAfter) {

        public Money savings() {
            return actual.minus(scenario);
        }
    }

    public Row row(String feature) {
        return rows.stream().filter(r -> r.feature().equals(feature)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feature " + feature));
    }
}
