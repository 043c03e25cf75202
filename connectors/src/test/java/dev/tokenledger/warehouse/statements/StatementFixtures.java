package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A small company for hand-computed statements. Features a (team T1, CC-1, product line X), b (T2, CC-2, X),
 * c (T3, CC-2, Y), shared (P, CC-9, S) and the unallocated bucket (owned by P in the registry).
 */
final class StatementFixtures {

    private StatementFixtures() {
    }

    static final OwnershipRegistry REGISTRY = new OwnershipRegistry(List.of(
            new FeatureHome("a", "T1", "CC-1", "X", "ann"),
            new FeatureHome("b", "T2", "CC-2", "X", "bob"),
            new FeatureHome("c", "T3", "CC-2", "Y", "cat"),
            new FeatureHome("shared", "P", "CC-9", "S", "pat"),
            new FeatureHome("unallocated", "P", "CC-9", "S", "pat")));

    static CostCell cell(String day, String team, String feature, String environment, long requests, long tokens, String cost) {
        return new CostCell(LocalDate.parse(day), team, feature, environment, "m1", requests, tokens, new BigDecimal(cost));
    }

    /**
     * One month: a 60.00 (6 requests, 600 tokens) and 8.00 in eval (2 requests), b 30.00 (3, 900), c 10.00 (1, 100),
     * shared 12.00, unallocated 10.00: 130.00 in all.
     */
    static List<CostCell> month(String ym) {
        return List.of(
                cell(ym + "-01", "T1", "a", "production", 6, 600, "60.000000000000"),
                cell(ym + "-02", "T1", "a", "eval", 2, 200, "8.000000000000"),
                cell(ym + "-01", "T2", "b", "production", 3, 900, "30.000000000000"),
                cell(ym + "-03", "T3", "c", "production", 1, 100, "10.000000000000"),
                cell(ym + "-01", "P", "shared", "production", 4, 400, "12.000000000000"),
                cell(ym + "-02", "unallocated", "unallocated", "-", 5, 500, "10.000000000000"));
    }

    static final String RULES = """
            versions:
              - effective_from: 2026-01
                rules:
                  - name: eval
                    source: environment:eval
                    target_level: team
                    targets: [T1, T2, T3]
                    method: proportional
                  - name: platform
                    source: feature:shared
                    target_level: cost_center
                    method: fixed
                    targets: {CC-1: 50, CC-2: 50}
                  - name: untagged
                    source: unallocated
                    target_level: team
                    targets: [T1, T2, T3]
                    method: even
              - effective_from: 2026-07
                rules:
                  - name: untagged
                    source: unallocated
                    target_level: team
                    targets: [T1, T2]
                    method: telemetry
                    metric: tokens
            """;

    static AllocationPolicy policy(String yaml) {
        AllocationRulesYaml.Parsed parsed = AllocationRulesYaml.parse(yaml);
        if (!parsed.ok()) {
            throw new AssertionError(parsed.problems().toString());
        }
        return parsed.policy();
    }
}
