package dev.tokenledger.warehouse.statements;

import dev.tokenledger.money.PlainDecimal;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an allocation rules file (docs/statements.md) and checks its shape: every field, method, weight and month.
 * Every problem is collected with its line; {@link AllocationRulesCheck} then checks the rules against the ownership
 * registry (unknown targets, cycles).
 *
 * <pre>
 * versions:
 *   - effective_from: 2026-07
 *     rules:
 *       - name: eval-overhead
 *         source: environment:eval
 *         target_level: cost_center
 *         method: fixed
 *         targets: {CC-1100: 50, CC-1200: 30, CC-1300: 20}
 * </pre>
 */
public final class AllocationRulesYaml {

    private static final Set<String> TOP_KEYS = Set.of("versions");
    private static final Set<String> VERSION_KEYS = Set.of("effective_from", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "source", "target_level", "targets", "method", "metric");
    private static final BigDecimal HUNDRED = new BigDecimal("100");

    private AllocationRulesYaml() {
    }

    /** The policy, or every problem of the file. */
    public record Parsed(AllocationPolicy policy, List<RuleProblem> problems) {
        public Parsed {
            problems = problems.stream().sorted().toList();
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Parsed parse(String text) {
        List<RuleProblem> problems = new ArrayList<>();
        YamlNode root;
        try {
            root = YamlNode.parse(text);
        } catch (YamlNode.Malformed e) {
            return new Parsed(AllocationPolicy.NONE, List.of(new RuleProblem(e.line, "bad_yaml", e.getMessage())));
        }
        if (!(root instanceof YamlNode.Mapping top)) {
            return new Parsed(AllocationPolicy.NONE, List.of(new RuleProblem(root == null ? 1 : root.line(), "bad_structure",
                    "expected a mapping with 'versions:' at the top")));
        }
        unknownKeys(top, TOP_KEYS, problems);
        YamlNode versionsNode = top.entries().get("versions");
        if (!(versionsNode instanceof YamlNode.Sequence versions) || versions.items().isEmpty()) {
            problems.add(new RuleProblem(top.line(), "missing_versions", "'versions' must be a non-empty list"));
            return new Parsed(AllocationPolicy.NONE, problems);
        }
        List<AllocationVersion> parsed = new ArrayList<>();
        Map<YearMonth, Integer> seenMonths = new java.util.HashMap<>();
        for (YamlNode node : versions.items()) {
            AllocationVersion version = version(node, problems);
            if (version == null) {
                continue;
            }
            Integer earlier = seenMonths.putIfAbsent(version.effectiveFrom(), version.line());
            if (earlier != null) {
                problems.add(new RuleProblem(version.line(), "duplicate_version",
                        "effective_from " + version.effectiveFrom() + " is already a version (line " + earlier + ")"));
                continue;
            }
            parsed.add(version);
        }
        return new Parsed(problems.isEmpty() ? new AllocationPolicy(parsed) : AllocationPolicy.NONE, problems);
    }

    private static AllocationVersion version(YamlNode node, List<RuleProblem> problems) {
        if (!(node instanceof YamlNode.Mapping map)) {
            problems.add(new RuleProblem(node.line(), "bad_structure", "a version is a mapping with effective_from and rules"));
            return null;
        }
        unknownKeys(map, VERSION_KEYS, problems);
        YearMonth month = null;
        String monthText = scalar(map, "effective_from");
        if (monthText == null) {
            problems.add(new RuleProblem(map.line(), "missing_field", "effective_from (YYYY-MM) is required"));
        } else {
            try {
                month = YearMonth.parse(monthText.trim());
            } catch (DateTimeParseException e) {
                problems.add(new RuleProblem(lineOf(map, "effective_from"), "bad_month",
                        "effective_from must be a month YYYY-MM, was '" + monthText + "'"));
            }
        }
        YamlNode rulesNode = map.entries().get("rules");
        if (!(rulesNode instanceof YamlNode.Sequence rules) || rules.items().isEmpty()) {
            problems.add(new RuleProblem(rulesNode == null ? map.line() : rulesNode.line(), "missing_rules",
                    "'rules' must be a non-empty list"));
            return null;
        }
        List<AllocationRule> parsed = new ArrayList<>();
        Map<String, Integer> names = new java.util.HashMap<>();
        Map<String, Integer> sources = new java.util.HashMap<>();
        for (YamlNode ruleNode : rules.items()) {
            AllocationRule rule = rule(ruleNode, problems);
            if (rule == null) {
                continue;
            }
            Integer earlierName = names.putIfAbsent(rule.name(), rule.line());
            if (earlierName != null) {
                problems.add(new RuleProblem(rule.line(), "duplicate_rule",
                        "rule '" + rule.name() + "' is already in this version (line " + earlierName + ")"));
                continue;
            }
            Integer earlierSource = sources.putIfAbsent(rule.source().toString(), rule.line());
            if (earlierSource != null) {
                problems.add(new RuleProblem(rule.line(), "duplicate_source", "source " + rule.source()
                        + " is already spread by the rule on line " + earlierSource + "; this rule would receive nothing"));
                continue;
            }
            parsed.add(rule);
        }
        return month == null ? null : new AllocationVersion(month, map.line(), parsed);
    }

    private static AllocationRule rule(YamlNode node, List<RuleProblem> problems) {
        if (!(node instanceof YamlNode.Mapping map)) {
            problems.add(new RuleProblem(node.line(), "bad_structure", "a rule is a mapping (name, source, target_level, targets, method)"));
            return null;
        }
        int before = problems.size();
        unknownKeys(map, RULE_KEYS, problems);
        String name = required(map, "name", problems);
        String sourceText = required(map, "source", problems);
        String levelText = required(map, "target_level", problems);
        String methodText = required(map, "method", problems);
        RuleSource source = sourceText == null ? null : RuleSource.parse(sourceText);
        if (sourceText != null && source == null) {
            problems.add(new RuleProblem(lineOf(map, "source"), "bad_source", "source must be feature:NAME, team:NAME,"
                    + " environment:NAME or unallocated, was '" + sourceText + "'"));
        }
        TargetLevel level = levelText == null ? null : TargetLevel.parse(levelText.trim());
        if (levelText != null && level == null) {
            problems.add(new RuleProblem(lineOf(map, "target_level"), "bad_target_level",
                    "target_level must be team, cost_center or product_line, was '" + levelText + "'"));
        }
        AllocationMethod method = methodText == null ? null : AllocationMethod.parse(methodText.trim());
        if (methodText != null && method == null) {
            problems.add(new RuleProblem(lineOf(map, "method"), "bad_method",
                    "method must be even, proportional, fixed or telemetry, was '" + methodText + "'"));
        }
        String metric = scalar(map, "metric");
        if (method == AllocationMethod.TELEMETRY) {
            if (metric == null || !(metric.trim().equals("requests") || metric.trim().equals("tokens"))) {
                problems.add(new RuleProblem(metric == null ? map.line() : lineOf(map, "metric"), "bad_metric",
                        "telemetry needs metric: requests or tokens" + (metric == null ? "" : ", was '" + metric + "'")));
            }
        } else if (metric != null && method != null) {
            problems.add(new RuleProblem(lineOf(map, "metric"), "unexpected_metric", "metric is for the telemetry method only"));
        }
        List<String> targets = new ArrayList<>();
        List<Integer> targetLines = new ArrayList<>();
        List<BigDecimal> weights = new ArrayList<>();
        YamlNode targetsNode = map.entries().get("targets");
        if (targetsNode == null) {
            problems.add(new RuleProblem(map.line(), "missing_field", "targets is required"));
        } else if (method == AllocationMethod.FIXED) {
            fixedTargets(targetsNode, targets, targetLines, weights, problems);
        } else if (targetsNode instanceof YamlNode.Sequence list) {
            Set<String> seen = new HashSet<>();
            for (YamlNode item : list.items()) {
                if (!(item instanceof YamlNode.Scalar s) || s.text() == null || s.text().isBlank()) {
                    problems.add(new RuleProblem(item.line(), "bad_target", "a target is a name"));
                } else if (!seen.add(s.text().trim())) {
                    problems.add(new RuleProblem(item.line(), "duplicate_target", "target " + s.text().trim() + " is listed twice"));
                } else {
                    targets.add(s.text().trim());
                    targetLines.add(item.line());
                }
            }
        } else if (method != null) {
            problems.add(new RuleProblem(targetsNode.line(), targetsNode instanceof YamlNode.Mapping ? "unexpected_weights" : "bad_targets",
                    targetsNode instanceof YamlNode.Mapping
                            ? "weights (targets as a mapping) are for the fixed method only; list the targets"
                            : "targets must be a list of names"));
        }
        if (targetsNode != null && targets.isEmpty() && problems.size() == before) {
            problems.add(new RuleProblem(targetsNode.line(), "no_targets", "a rule needs at least one target"));
        }
        if (problems.size() > before) {
            return null;
        }
        return new AllocationRule(name.trim(), source, level, targets, method,
                method == AllocationMethod.TELEMETRY ? metric.trim() : null, weights, map.line(), targetLines);
    }

    /** {@code targets: {A: 50, B: 30, C: 20}}: percentages, each positive, summing to exactly 100. */
    private static void fixedTargets(YamlNode node, List<String> targets, List<Integer> lines, List<BigDecimal> weights,
                                     List<RuleProblem> problems) {
        if (!(node instanceof YamlNode.Mapping map)) {
            problems.add(new RuleProblem(node.line(), "missing_weights",
                    "fixed needs targets with weights, as a mapping target: percent (e.g. {CC-1100: 60, CC-1200: 40})"));
            return;
        }
        BigDecimal sum = BigDecimal.ZERO;
        boolean allRead = true;
        for (Map.Entry<String, YamlNode> e : map.entries().entrySet()) {
            int line = map.keyLines().get(e.getKey());
            BigDecimal weight = null;
            if (e.getValue() instanceof YamlNode.Scalar s && s.text() != null) {
                try {
                    weight = PlainDecimal.parseMoney("weight", s.text().trim(), false);
                } catch (PlainDecimal.Invalid invalid) {
                    weight = null;
                }
            }
            if (weight == null || weight.signum() <= 0) {
                problems.add(new RuleProblem(line, "bad_weight", "the weight of " + e.getKey()
                        + " must be a positive percentage with at most 12 decimals"));
                allRead = false;
                continue;
            }
            targets.add(e.getKey().trim());
            lines.add(line);
            weights.add(weight);
            sum = sum.add(weight);
        }
        if (allRead && !targets.isEmpty() && sum.compareTo(HUNDRED) != 0) {
            problems.add(new RuleProblem(map.line(), "weights_do_not_sum",
                    "fixed weights must sum to 100, these sum to " + sum.stripTrailingZeros().toPlainString()));
        }
    }

    private static void unknownKeys(YamlNode.Mapping map, Set<String> allowed, List<RuleProblem> problems) {
        for (String key : map.entries().keySet()) {
            if (!allowed.contains(key)) {
                problems.add(new RuleProblem(map.keyLines().get(key), "unknown_field",
                        "'" + key + "' is not a field here; expected " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    private static String required(YamlNode.Mapping map, String key, List<RuleProblem> problems) {
        String value = scalar(map, key);
        if (value == null || value.isBlank()) {
            problems.add(new RuleProblem(map.entries().containsKey(key) ? lineOf(map, key) : map.line(), "missing_field",
                    key + " is required"));
            return null;
        }
        return value;
    }

    private static String scalar(YamlNode.Mapping map, String key) {
        return map.entries().get(key) instanceof YamlNode.Scalar s ? s.text() : null;
    }

    private static int lineOf(YamlNode.Mapping map, String key) {
        return map.keyLines().getOrDefault(key, map.line());
    }
}
