package dev.tokenledger.warehouse.statements;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed policy against the ownership registry: every target must be a team, cost center or product line
 * the registry (or the rollups) know, every feature or team source must exist, and no version may hold a cycle.
 *
 * <p>Rule A <em>feeds</em> rule B when a target of A covers a feature B's source holds (B's source is that feature or
 * its team): what A gives that target would be in B's bucket and passed on. A cycle (A feeds B feeds A, or A feeds
 * itself) has no order to apply the rules in, so it is refused; without one, rules apply in the order the feeds
 * give ({@link #order}).
 */
public final class AllocationRulesCheck {

    private AllocationRulesCheck() {
    }

    public static List<RuleProblem> check(AllocationPolicy policy, OwnershipRegistry registry) {
        List<RuleProblem> problems = new ArrayList<>();
        for (AllocationVersion version : policy.versions()) {
            for (AllocationRule rule : version.rules()) {
                for (int i = 0; i < rule.targets().size(); i++) {
                    String target = rule.targets().get(i);
                    if (registry.featuresOf(rule.level(), target).isEmpty()) {
                        problems.add(new RuleProblem(rule.targetLines().get(i), "unknown_target", "rule " + rule.name() + ": "
                                + rule.level().code() + " '" + target + "' is not in the ownership registry (known: "
                                + String.join(", ", registry.ids(rule.level())) + ")"));
                    }
                }
                RuleSource source = rule.source();
                boolean unknownSource = switch (source.kind()) {
                    case FEATURE -> !registry.knowsFeature(source.id());
                    case TEAM -> registry.featuresOf(TargetLevel.TEAM, source.id()).isEmpty();
                    case ENVIRONMENT, UNALLOCATED -> false;
                };
                if (unknownSource) {
                    problems.add(new RuleProblem(rule.line(), "unknown_source", "rule " + rule.name() + ": "
                            + source.kind().code() + " '" + source.id() + "' is not in the ownership registry"));
                }
            }
            cycle(version, registry).ifPresent(problems::add);
        }
        return problems.stream().sorted().toList();
    }

    /** The version's rules in an order where every rule comes after each rule that feeds it; fails on a cycle. */
    static List<AllocationRule> order(AllocationVersion version, OwnershipRegistry registry) {
        if (cycle(version, registry).isPresent()) {
            throw new IllegalStateException("the allocation rules of " + version.effectiveFrom() + " hold a cycle with "
                    + "today's ownership registry: " + cycle(version, registry).get().detail());
        }
        Map<AllocationRule, List<AllocationRule>> feeds = feeds(version, registry);
        List<AllocationRule> ordered = new ArrayList<>();
        Set<AllocationRule> done = new HashSet<>();
        for (AllocationRule rule : version.rules()) {
            visit(rule, feeds, done, ordered);
        }
        // visit() appends a rule after everything it feeds: reversed, feeders come first, in file order among equals.
        java.util.Collections.reverse(ordered);
        return ordered;
    }

    private static void visit(AllocationRule rule, Map<AllocationRule, List<AllocationRule>> feeds, Set<AllocationRule> done,
                              List<AllocationRule> ordered) {
        if (!done.add(rule)) {
            return;
        }
        List<AllocationRule> next = new ArrayList<>(feeds.get(rule));
        java.util.Collections.reverse(next);
        for (AllocationRule fed : next) {
            visit(fed, feeds, done, ordered);
        }
        ordered.add(rule);
    }

    private static Map<AllocationRule, List<AllocationRule>> feeds(AllocationVersion version, OwnershipRegistry registry) {
        Map<AllocationRule, List<AllocationRule>> feeds = new LinkedHashMap<>();
        for (AllocationRule a : version.rules()) {
            Set<String> given = new HashSet<>();
            for (String target : a.targets()) {
                given.addAll(registry.featuresOf(a.level(), target));
            }
            List<AllocationRule> fed = new ArrayList<>();
            for (AllocationRule b : version.rules()) {
                if (registry.featuresHeldBy(b.source()).stream().anyMatch(given::contains)) {
                    fed.add(b);
                }
            }
            feeds.put(a, fed);
        }
        return feeds;
    }

    private static java.util.Optional<RuleProblem> cycle(AllocationVersion version, OwnershipRegistry registry) {
        Map<AllocationRule, List<AllocationRule>> feeds = feeds(version, registry);
        Map<AllocationRule, Integer> state = new java.util.HashMap<>();
        for (AllocationRule start : version.rules()) {
            List<AllocationRule> path = new ArrayList<>();
            List<AllocationRule> found = dfs(start, feeds, state, path);
            if (found != null) {
                List<String> names = found.stream().map(AllocationRule::name).toList();
                return java.util.Optional.of(new RuleProblem(found.get(0).line(), "cycle", "version " + version.effectiveFrom()
                        + ": " + String.join(" -> ", names) + " -> " + names.get(0) + " (a target of each rule is in the"
                        + " source of the next, so the cost would go round)"));
            }
        }
        return java.util.Optional.empty();
    }

    /** Depth-first search; returns the rules of a cycle in feed order, or null. States: 1 on the path, 2 done. */
    private static List<AllocationRule> dfs(AllocationRule rule, Map<AllocationRule, List<AllocationRule>> feeds,
                                            Map<AllocationRule, Integer> state, List<AllocationRule> path) {
        Integer s = state.get(rule);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            return new ArrayList<>(path.subList(path.indexOf(rule), path.size()));
        }
        state.put(rule, 1);
        path.add(rule);
        for (AllocationRule next : feeds.get(rule)) {
            List<AllocationRule> found = dfs(next, feeds, state, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(rule, 2);
        return null;
    }
}
