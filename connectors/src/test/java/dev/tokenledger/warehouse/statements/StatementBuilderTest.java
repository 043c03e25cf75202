package dev.tokenledger.warehouse.statements;

import static dev.tokenledger.warehouse.statements.StatementFixtures.REGISTRY;
import static dev.tokenledger.warehouse.statements.StatementFixtures.RULES;
import static dev.tokenledger.warehouse.statements.StatementFixtures.cell;
import static dev.tokenledger.warehouse.statements.StatementFixtures.month;
import static dev.tokenledger.warehouse.statements.StatementFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementBuilderTest {

    private static OwnerStatement of(MonthStatements m, String scope) {
        return m.statements().stream().filter(s -> s.scope().equals(scope)).findFirst().orElseThrow();
    }

    private static MonthStatements june(TargetLevel level) {
        Allocation june = Allocator.allocate(YearMonth.of(2026, 6), policy(RULES), REGISTRY, month("2026-06"));
        return StatementBuilder.build(level, june, null);
    }

    @Test
    void shouldDrawUpTeamStatementsThatSumToTheMonthToTheCent() {
        MonthStatements m = june(TargetLevel.TEAM);
        assertThat(m.statements()).extracting(OwnerStatement::scope).containsExactly("T1", "T2", "T3", "P", "unallocated");
        // T1: direct 68 - eval 8 + 4.80 + platform 6 + untagged 3.333333333334 = 74.133333333334
        OwnerStatement t1 = of(m, "T1");
        assertThat(t1.direct().cents()).isEqualTo(new BigDecimal("68.00"));
        assertThat(t1.total().exact()).isEqualTo(new BigDecimal("74.133333333334"));
        assertThat(t1.total().cents()).isEqualTo(new BigDecimal("74.14")); // the untagged cent went to T1's 3.34
        assertThat(of(m, "T2").total().exact()).isEqualTo(new BigDecimal("40.233333333333"));
        assertThat(of(m, "T2").total().cents()).isEqualTo(new BigDecimal("40.23"));
        assertThat(of(m, "T3").total().cents()).isEqualTo(new BigDecimal("15.63"));
        assertThat(of(m, "P").total().cents()).isEqualTo(new BigDecimal("0.00"));
        assertThat(of(m, "unallocated").total().cents()).isEqualTo(new BigDecimal("0.00"));
        assertThat(m.statements().stream().map(s -> s.total().cents()).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualTo(new BigDecimal("130.00"));
        assertThat(m.statements().stream().map(s -> s.total().exact()).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("130");

        List<String> t1Lines = new ArrayList<>();
        for (OwnerStatement.SharedLine line : t1.sharedLines()) {
            t1Lines.add(line.rule() + " " + line.received().cents() + " " + line.given().cents());
        }
        assertThat(t1Lines).containsExactly("eval 4.80 -8.00", "platform 6.00 0.00", "untagged 3.34 0.00");
        assertThat(t1.sharedLines().get(0).share()).isEqualTo("T1 60 of 100 (60.0000%)");
        assertThat(m.coveragePct()).isEqualByComparingTo("92.3077"); // 120 of 130 attributed
        assertThat(m.unallocatedUnspread()).isZero();
    }

    @Test
    void shouldKeepUnspreadUnallocatedCostOnItsOwnLine() {
        AllocationPolicy evalOnly = policy("""
                versions:
                  - effective_from: 2026-01
                    rules:
                      - name: eval
                        source: environment:eval
                        target_level: cost_center
                        targets: [CC-1, CC-2]
                        method: even
                """);
        Allocation june = Allocator.allocate(YearMonth.of(2026, 6), evalOnly, REGISTRY, month("2026-06"));
        MonthStatements m = StatementBuilder.build(TargetLevel.COST_CENTER, june, null);
        assertThat(m.statements()).extracting(OwnerStatement::scope).containsExactly("CC-1", "CC-2", "CC-9", "unallocated");
        assertThat(of(m, "unallocated").total().cents()).isEqualTo(new BigDecimal("10.00"));
        assertThat(of(m, "unallocated").owner()).isEqualTo("pat");
        assertThat(m.unallocatedUnspread()).isEqualByComparingTo("10");
        // CC-1: a 68 - 8 + 4 = 64; CC-2: b + c 40 + 4 (3.00 and 1.00 inside, by their cost) = 44; CC-9: shared 12.
        assertThat(of(m, "CC-1").total().cents()).isEqualTo(new BigDecimal("64.00"));
        assertThat(of(m, "CC-2").total().cents()).isEqualTo(new BigDecimal("44.00"));
        assertThat(of(m, "CC-9").total().cents()).isEqualTo(new BigDecimal("12.00"));
    }

    @Test
    void shouldRoundThreeWaySplitsOfAnOddCentSoTheMonthStillAddsUp() {
        // 0.10 of unallocated cost evenly over three teams with no other cost: 0.033333333334 + 2 x 0.033333333333.
        List<CostCell> cells = List.of(cell("2026-06-01", "unallocated", "unallocated", "-", 1, 1, "0.100000000000"));
        AllocationPolicy even = policy("""
                versions:
                  - effective_from: 2026-01
                    rules:
                      - name: untagged
                        source: unallocated
                        target_level: team
                        targets: [T1, T2, T3]
                        method: even
                """);
        MonthStatements m = StatementBuilder.build(TargetLevel.TEAM,
                Allocator.allocate(YearMonth.of(2026, 6), even, REGISTRY, cells), null);
        assertThat(m.statements()).extracting(s -> s.scope() + " " + s.total().cents() + " " + s.total().exact().toPlainString())
                .containsExactly("T1 0.04 0.033333333334", "T2 0.03 0.033333333333", "T3 0.03 0.033333333333",
                        "unallocated 0.00 0.000000000000");
    }

    @Test
    void shouldSplitTheChangeFromThePriorMonth() {
        // May: only T2's b, 3 requests for 30.00. June: b 3 for 30.00 again: no direct change; T2's whole change is
        // the shared cost it now receives (2.40 + 4.50 + 3.33 = 10.23).
        List<CostCell> may = List.of(cell("2026-05-10", "T2", "b", "production", 3, 900, "30.000000000000"));
        Allocation prior = Allocator.allocate(YearMonth.of(2026, 5), AllocationPolicy.NONE, REGISTRY, may);
        Allocation june = Allocator.allocate(YearMonth.of(2026, 6), policy(RULES), REGISTRY, month("2026-06"));
        OwnerStatement t2 = of(StatementBuilder.build(TargetLevel.TEAM, june, prior), "T2");
        OwnerStatement.Change c = t2.change();
        assertThat(c.priorTotal().cents()).isEqualTo(new BigDecimal("30.00"));
        assertThat(c.total().cents()).isEqualTo(new BigDecimal("10.23"));
        assertThat(c.volume().exact()).isZero();
        assertThat(c.mix().exact()).isZero();
        assertThat(c.rate().exact()).isZero();
        assertThat(c.shared().exact()).isEqualTo(new BigDecimal("10.233333333333"));
        assertThat(c.shared().cents()).isEqualTo(new BigDecimal("10.23"));
    }

    @Test
    void shouldBalanceTheChargebackJournalToZeroPerRule() {
        Allocation june = Allocator.allocate(YearMonth.of(2026, 6), policy(RULES), REGISTRY, month("2026-06"));
        List<ChargebackJournal.Line> lines = ChargebackJournal.lines(june);
        List<String> untagged = lines.stream().filter(l -> l.rule().equals("untagged"))
                .map(l -> l.account() + " " + l.side() + " " + l.debit() + " " + l.credit()).toList();
        // T1 is CC-1 (3.34); T2 and T3 are both CC-2 (3.333333333333 x 2 = 6.67); the bucket is credited 10.00.
        assertThat(untagged).containsExactly("CC-1 debit 3.33 0.00", "CC-2 debit 6.67 0.00", "unallocated credit 0.00 10.00");
        BigDecimal debits = lines.stream().map(ChargebackJournal.Line::debit).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal credits = lines.stream().map(ChargebackJournal.Line::credit).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(debits).isEqualTo(new BigDecimal("30.00")); // eval 8 + platform 12 + untagged 10
        assertThat(debits.subtract(credits)).isZero();
    }

    @Test
    void shouldKeepEveryTotalWithinACentOfExactAndEveryStatementAddingUpOnManyOddAmounts() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<String> features = List.of("a", "b", "c", "shared", "unallocated");
        List<String> teams = List.of("T1", "T2", "T3", "P", "unallocated");
        List<CostCell> cells = new ArrayList<>();
        for (int day = 1; day <= 30; day++) {
            for (int f = 0; f < features.size(); f++) {
                String cost = BigDecimal.valueOf(random.nextLong(1, 50_000_000_000_000L), 12).toPlainString();
                cells.add(cell("2026-06-%02d".formatted(day), teams.get(f), features.get(f), day % 3 == 0 ? "eval" : "production",
                        random.nextLong(1, 500), random.nextLong(1, 90_000), cost));
            }
        }
        for (TargetLevel level : TargetLevel.values()) {
            MonthStatements m = StatementBuilder.build(level, Allocator.allocate(YearMonth.of(2026, 6), policy(RULES), REGISTRY, cells), null);
            BigDecimal cents = BigDecimal.ZERO;
            for (OwnerStatement s : m.statements()) {
                cents = cents.add(s.total().cents());
                assertThat(s.total().cents().subtract(s.total().exact()).abs()).isLessThan(new BigDecimal("0.01"));
                assertThat(s.direct().cents().subtract(s.direct().exact()).abs()).isLessThan(new BigDecimal("0.01"));
                assertThat(s.direct().cents().add(s.shared().cents())).isEqualTo(s.total().cents());
                assertThat(s.sharedLines().stream().map(l -> l.net().cents()).reduce(BigDecimal.ZERO, BigDecimal::add))
                        .isEqualByComparingTo(s.shared().cents());
                assertThat(s.directLines().stream().map(l -> l.cost().cents()).reduce(BigDecimal.ZERO, BigDecimal::add))
                        .isEqualByComparingTo(s.direct().cents());
            }
            assertThat(cents).isEqualTo(m.total().cents());
            assertThat(m.statements().stream().map(s -> s.total().exact()).reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo(m.total().exact());
        }
    }
}
