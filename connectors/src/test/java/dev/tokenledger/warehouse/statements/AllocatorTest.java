package dev.tokenledger.warehouse.statements;

import static dev.tokenledger.warehouse.statements.StatementFixtures.REGISTRY;
import static dev.tokenledger.warehouse.statements.StatementFixtures.RULES;
import static dev.tokenledger.warehouse.statements.StatementFixtures.month;
import static dev.tokenledger.warehouse.statements.StatementFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each method with numbers worked out by hand on {@link StatementFixtures}. */
class AllocatorTest {

    private static Allocation.RuleResult rule(Allocation allocation, String name) {
        return allocation.rules().stream().filter(r -> r.rule().name().equals(name)).findFirst().orElseThrow();
    }

    private static List<BigDecimal> amounts(Allocation.RuleResult r) {
        return r.shares().stream().map(Allocation.Share::amount).toList();
    }

    @Test
    void shouldSpreadEvalByRetainedCostSharedByFixedWeightsAndUnallocatedEvenly() {
        Allocation june = Allocator.allocate(YearMonth.of(2026, 6), policy(RULES), REGISTRY, month("2026-06"));

        // eval: 8.00 over T1, T2, T3 in proportion to their retained cost 60 : 30 : 10 (a's eval cell is pooled).
        Allocation.RuleResult eval = rule(june, "eval");
        assertThat(eval.pool()).isEqualByComparingTo("8");
        assertThat(eval.shares().stream().map(Allocation.Share::weight).toList())
                .containsExactly(new BigDecimal("60.000000000000"), new BigDecimal("30.000000000000"), new BigDecimal("10.000000000000"));
        assertThat(amounts(eval)).containsExactly(new BigDecimal("4.800000000000"), new BigDecimal("2.400000000000"),
                new BigDecimal("0.800000000000"));

        // platform: 12.00 fixed 50/50 over CC-1 (feature a) and CC-2 (b and c, split 30 : 10 inside the cost center).
        Allocation.RuleResult platform = rule(june, "platform");
        assertThat(amounts(platform)).containsExactly(new BigDecimal("6.000000000000"), new BigDecimal("6.000000000000"));
        assertThat(platform.shares().get(1).byFeature()).isEqualTo(Map.of(
                "b", new BigDecimal("4.500000000000"), "c", new BigDecimal("1.500000000000")));

        // untagged: 10.00 evenly over three teams does not divide: 12-place largest remainder, first part carries it.
        assertThat(amounts(rule(june, "untagged"))).containsExactly(new BigDecimal("3.333333333334"),
                new BigDecimal("3.333333333333"), new BigDecimal("3.333333333333"));
        assertThat(june.total()).isEqualByComparingTo("130");
    }

    @Test
    void shouldUseTheVersionInForceEachMonth() {
        // From July the untagged bucket follows tokens: retained tokens of T1 (a: 600, its eval cell is no longer
        // pooled by an eval rule in the July version, so 800) and T2 (b: 900): 10 x 800/1700 and 10 x 900/1700.
        Allocation july = Allocator.allocate(YearMonth.of(2026, 7), policy(RULES), REGISTRY, month("2026-07"));
        assertThat(july.version().effectiveFrom()).isEqualTo(YearMonth.of(2026, 7));
        assertThat(july.rules()).extracting(r -> r.rule().name()).containsExactly("untagged");
        assertThat(amounts(rule(july, "untagged"))).containsExactly(new BigDecimal("4.705882352941"),
                new BigDecimal("5.294117647059"));

        Allocation december2025 = Allocator.allocate(YearMonth.of(2025, 12), policy(RULES), REGISTRY, month("2025-12"));
        assertThat(december2025.version()).isNull();
        assertThat(december2025.rules()).isEmpty();
    }

    @Test
    void shouldSpreadByRequestsWithTelemetry() {
        AllocationPolicy byRequests = policy("""
                versions:
                  - effective_from: 2026-01
                    rules:
                      - name: untagged
                        source: unallocated
                        target_level: team
                        targets: [T1, T2]
                        method: telemetry
                        metric: requests
                """);
        // T1 has 6 + 2 = 8 requests, T2 3: 10 x 8/11 = 7.272727272727..., 10 x 3/11 = 2.727272727272...
        Allocation june = Allocator.allocate(YearMonth.of(2026, 6), byRequests, REGISTRY, month("2026-06"));
        assertThat(amounts(rule(june, "untagged"))).containsExactly(new BigDecimal("7.272727272727"),
                new BigDecimal("2.727272727273"));
    }

    @Test
    void shouldPassOnWhatATeamReceivedWhenItsTeamIsTheNextSource() {
        // The unallocated 10.00 goes to P (even, one target), then P's whole bucket (shared 12.00 + the 10.00 received)
        // goes to T1: the feeder runs first whatever the file order.
        AllocationPolicy stepDown = policy("""
                versions:
                  - effective_from: 2026-01
                    rules:
                      - name: platform
                        source: team:P
                        target_level: team
                        targets: [T1]
                        method: even
                      - name: untagged
                        source: unallocated
                        target_level: team
                        targets: [P]
                        method: even
                """);
        Allocation june = Allocator.allocate(YearMonth.of(2026, 6), stepDown, REGISTRY, month("2026-06"));
        Allocation.RuleResult platform = rule(june, "platform");
        assertThat(platform.pool()).isEqualByComparingTo("22");
        assertThat(platform.given()).extracting(Allocation.Given::passedOn).containsExactly(false, true);
        MonthStatements statements = StatementBuilder.build(TargetLevel.TEAM, june, null);
        OwnerStatement p = statements.statements().stream().filter(s -> s.scope().equals("P")).findFirst().orElseThrow();
        assertThat(p.total().exact()).isEqualByComparingTo("0");
        assertThat(statements.statements().get(0).scope()).isEqualTo("T1");
        assertThat(statements.statements().get(0).total().cents()).isEqualByComparingTo("90.00"); // 68 + 22
    }
}
