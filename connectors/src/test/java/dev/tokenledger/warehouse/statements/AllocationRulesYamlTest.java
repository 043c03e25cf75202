package dev.tokenledger.warehouse.statements;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationRulesYamlTest {

    private static List<String> problems(String yaml) {
        return AllocationRulesYaml.parse(yaml).problems().stream().map(p -> p.line() + " " + p.reason()).toList();
    }

    @Test
    void shouldReadVersionsRulesAndWeights() {
        AllocationPolicy policy = StatementFixtures.policy(StatementFixtures.RULES);
        assertThat(policy.versions()).extracting(AllocationVersion::effectiveFrom)
                .containsExactly(YearMonth.of(2026, 1), YearMonth.of(2026, 7));
        AllocationRule platform = policy.versions().get(0).rules().get(1);
        assertThat(platform.source()).isEqualTo(new RuleSource(RuleSource.Kind.FEATURE, "shared"));
        assertThat(platform.level()).isEqualTo(TargetLevel.COST_CENTER);
        assertThat(platform.targets()).containsExactly("CC-1", "CC-2");
        assertThat(platform.weightsPct()).containsExactly(new BigDecimal("50"), new BigDecimal("50"));
        assertThat(platform.line()).isEqualTo(9);
        assertThat(policy.inForce(YearMonth.of(2026, 6)).orElseThrow().effectiveFrom()).isEqualTo(YearMonth.of(2026, 1));
        assertThat(policy.inForce(YearMonth.of(2026, 12)).orElseThrow().effectiveFrom()).isEqualTo(YearMonth.of(2026, 7));
        assertThat(policy.inForce(YearMonth.of(2025, 12))).isEmpty();
    }

    @Test
    void shouldRefuseBadRulesWithTheirLineNumbers() {
        String yaml = """
                versions:
                  - effective_from: 2026-13
                    rules:
                      - name: a
                        source: environment:eval
                        target_level: team
                        method: fixed
                        targets: {T1: 60, T2: 30}
                      - name: b
                        source: somewhere
                        target_level: division
                        targets: [T1]
                        method: random
                      - name: c
                        source: unallocated
                        target_level: team
                        targets: [T1, T1]
                        method: telemetry
                        colour: blue
                """;
        assertThat(problems(yaml)).containsExactly(
                "2 bad_month",
                "8 weights_do_not_sum",
                "10 bad_source",
                "11 bad_target_level",
                "13 bad_method",
                "14 bad_metric",
                "17 duplicate_target",
                "19 unknown_field");
    }

    @Test
    void shouldRefuseMalformedYamlAndDuplicateKeysWithTheirLine() {
        assertThat(problems("versions:\n  - effective_from: 2026-01\n    rules: [\n")).hasSize(1)
                .allMatch(p -> p.endsWith("bad_yaml"));
        assertThat(problems("versions:\n  - effective_from: 2026-01\n    effective_from: 2026-02\n    rules: []\n"))
                .containsExactly("3 bad_yaml");
    }

    @Test
    void shouldRefuseUnknownTargetsAndCyclesAgainstTheRegistry() {
        String yaml = """
                versions:
                  - effective_from: 2026-01
                    rules:
                      - name: t1-out
                        source: team:T1
                        target_level: team
                        targets: [T2]
                        method: even
                      - name: t2-out
                        source: team:T2
                        target_level: team
                        targets: [T1, Ghost]
                        method: even
                """;
        AllocationRulesYaml.Parsed parsed = AllocationRulesYaml.parse(yaml);
        assertThat(parsed.ok()).isTrue();
        List<RuleProblem> problems = AllocationRulesCheck.check(parsed.policy(), StatementFixtures.REGISTRY);
        assertThat(problems).extracting(p -> p.line() + " " + p.reason()).containsExactly("4 cycle", "12 unknown_target");
        assertThat(problems.get(0).detail()).contains("t1-out -> t2-out -> t1-out");
        assertThat(problems.get(1).detail()).contains("team 'Ghost'").contains("known: T1, T2, T3, P");
    }

    @Test
    void shouldRefuseARuleThatFeedsItself() {
        String yaml = """
                versions:
                  - effective_from: 2026-01
                    rules:
                      - name: loop
                        source: team:T1
                        target_level: cost_center
                        targets: [CC-1, CC-2]
                        method: even
                """;
        assertThat(AllocationRulesCheck.check(StatementFixtures.policy(yaml), StatementFixtures.REGISTRY))
                .extracting(RuleProblem::reason).containsExactly("cycle");
    }

    @Test
    void shouldAcceptTheShippedExampleAgainstTheDemoRegistry() throws Exception {
        Path example = Path.of("..", "examples", "allocation.yaml");
        AllocationRulesYaml.Parsed parsed = AllocationRulesYaml.parse(Files.readString(example));
        assertThat(parsed.problems()).isEmpty();
        List<FeatureHome> demo = Files.readAllLines(Path.of("..", "streams-app", "src", "main", "resources", "demo", "ownership.csv"))
                .stream().skip(1).map(l -> l.split(",")).filter(c -> c[0].equals("feature"))
                .map(c -> new FeatureHome(c[2], c[3], c[4], c[5], c[6])).toList();
        assertThat(AllocationRulesCheck.check(parsed.policy(), new OwnershipRegistry(demo))).isEmpty();
        assertThat(parsed.policy().versions()).hasSize(2);
    }
}
