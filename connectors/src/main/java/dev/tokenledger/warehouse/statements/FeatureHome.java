package dev.tokenledger.warehouse.statements;

/**
 * Where a feature's cost is reported: its team, cost center, product line and owner (the ownership registry's
 * {@code feature:NAME} row; a feature the registry does not know has the team its rollups carry and no cost center
 * or product line).
 */
public record FeatureHome(String feature, String team, String costCenter, String productLine, String owner) {
}
