package dev.tokenledger.warehouse.statements;

import java.util.List;
import java.util.Map;

/**
 * A month's statements with what the other stages found for each owner: budget positions, anomalies, and the
 * month's reconciliation notes (the same for every owner: invoices are per provider, not per owner).
 */
public record StatementPack(MonthStatements month, Map<String, List<BudgetLine>> budgets,
                            Map<String, List<AnomalyLine>> anomalies, List<String> reconciliationNotes) {

    /** A monthly budget of a team or feature reported on a statement (v_budget_position). */
    public record BudgetLine(String scopeType, String scopeId, String budgetUsd, String spendUsd, String usedPct,
                             String state) {
    }

    /** An anomaly of the month touching the statement's teams or features (v_anomalies). */
    public record AnomalyLine(String detectedAt, String kind, String scope, String impactUsd, String severity, String state,
                              String explanation) {
    }

    public List<BudgetLine> budgetsOf(String scope) {
        return budgets.getOrDefault(scope, List.of());
    }

    public List<AnomalyLine> anomaliesOf(String scope) {
        return anomalies.getOrDefault(scope, List.of());
    }
}
