package dev.tokenledger.whatif;

import dev.tokenledger.money.Money;
import dev.tokenledger.warehouse.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Question 3's margin under any scenario ({@code report margin --scenario FILE}): the margin report's revenue and
 * cost, with its linear +20% columns replaced by the feature's cost under the scenario, from the what-if engine.
 * The scenario cost is the report's cost plus what the scenario changes on the feature's calls
 * ({@code scenario_usd - actual_usd} of {@code report whatif}), so the two reports share one base.
 */
public final class MarginScenario {

    /** The margin report's columns kept as they are. */
    static final List<String> KEPT = List.of("rank", "feature", "requests", "revenue_usd", "cost_usd", "margin_usd",
            "margin_pct");
    public static final List<String> COLUMNS = List.of("rank", "feature", "requests", "revenue_usd", "cost_usd",
            "margin_usd", "margin_pct", "cost_scenario_usd", "margin_scenario_usd", "margin_scenario_pct");

    private MarginScenario() {
    }

    public static Table apply(Table margin, WhatIfResult scenario, String title) {
        Map<String, Money> change = new TreeMap<>();
        for (WhatIfResult.Row row : scenario.rows()) {
            change.put(row.feature(), row.scenario().minus(row.actual()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < margin.rows().size(); r++) {
            List<String> cells = new ArrayList<>();
            for (String column : KEPT) {
                cells.add(margin.cell(r, column));
            }
            Money revenue = Money.parse(margin.cell(r, "revenue_usd"));
            Money cost = Money.parse(margin.cell(r, "cost_usd")).plus(change.getOrDefault(margin.cell(r, "feature"), Money.ZERO));
            Money marginUsd = revenue.minus(cost);
            cells.add(cost.toPlainString());
            cells.add(marginUsd.toPlainString());
            // As v_feature_margin rounds percentages: 4 places, half away from zero.
            cells.add(revenue.signum() == 0 ? null : marginUsd.toBigDecimal().multiply(BigDecimal.valueOf(100))
                    .divide(revenue.toBigDecimal(), 4, RoundingMode.HALF_UP).toPlainString());
            rows.add(cells);
        }
        return new Table(title, COLUMNS, rows).withNotes(scenario.notes());
    }
}
