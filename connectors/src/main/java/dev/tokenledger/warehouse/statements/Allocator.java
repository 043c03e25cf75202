package dev.tokenledger.warehouse.statements;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the rules in force on a month's direct cost cells.
 * <ol>
 *   <li>Pool: each cell goes to the first rule, in file order, whose source matches it; the rest is retained by its
 *       owner. Retained cost, requests and tokens per feature are the bases of proportional and telemetry.</li>
 *   <li>Spread, feeders first ({@link AllocationRulesCheck#order}): a rule's pool is its cells plus what earlier rules
 *       gave to the features its source holds (passed on). The pool is split over the targets by the method's weights,
 *       then each target's amount over its features by their retained cost (evenly when they have none). Both splits
 *       are exact at 12 places by largest remainder, so nothing is created or lost.</li>
 * </ol>
 */
public final class Allocator {

    private static final int SCALE = Money.SCALE;

    private Allocator() {
    }

    public static Allocation allocate(YearMonth month, AllocationPolicy policy, OwnershipRegistry registryOnly,
                                      List<CostCell> cells) {
        OwnershipRegistry registry = registryOnly.withCells(cells);
        AllocationVersion version = policy.inForce(month).orElse(null);
        List<AllocationRule> fileOrder = version == null ? List.of() : version.rules();
        List<Allocation.Cell> allocated = new ArrayList<>(cells.size());
        Map<String, List<Allocation.Given>> pooled = new LinkedHashMap<>();
        Map<String, BigDecimal> retainedCost = new LinkedHashMap<>();
        Map<String, Long> retainedRequests = new LinkedHashMap<>();
        Map<String, Long> retainedTokens = new LinkedHashMap<>();
        for (CostCell cell : cells) {
            FeatureHome home = registry.home(cell.feature());
            AllocationRule rule = fileOrder.stream().filter(r -> r.source().matches(cell, home)).findFirst().orElse(null);
            allocated.add(new Allocation.Cell(cell, rule == null ? null : rule.name()));
            if (rule == null) {
                retainedCost.merge(cell.feature(), cell.costUsd(), BigDecimal::add);
                retainedRequests.merge(cell.feature(), cell.requests(), Long::sum);
                retainedTokens.merge(cell.feature(), cell.tokens(), Long::sum);
            } else {
                pooled.computeIfAbsent(rule.name(), k -> new ArrayList<>()).add(new Allocation.Given(cell.feature(), cell.costUsd(), false));
            }
        }
        List<Allocation.RuleResult> results = new ArrayList<>();
        // Cost given to each feature so far, by the rules already run: what a later rule's bucket can pass on.
        Map<String, BigDecimal> received = new LinkedHashMap<>();
        List<AllocationRule> ordered = version == null ? List.of() : AllocationRulesCheck.order(version, registry);
        for (AllocationRule rule : ordered) {
            List<Allocation.Given> given = new ArrayList<>(mergeByFeature(pooled.getOrDefault(rule.name(), List.of()), false));
            for (Map.Entry<String, BigDecimal> r : new ArrayList<>(received.entrySet())) {
                if (r.getValue().signum() != 0 && rule.source().holdsReceived(registry.home(r.getKey()))) {
                    given.add(new Allocation.Given(r.getKey(), r.getValue(), true));
                    received.put(r.getKey(), BigDecimal.ZERO.setScale(SCALE));
                }
            }
            BigDecimal pool = given.stream().map(Allocation.Given::amount).reduce(BigDecimal.ZERO.setScale(SCALE), BigDecimal::add);
            List<BigDecimal> weights = new ArrayList<>();
            for (int i = 0; i < rule.targets().size(); i++) {
                List<String> features = registry.featuresOf(rule.level(), rule.targets().get(i));
                weights.add(switch (rule.method()) {
                    case EVEN -> BigDecimal.ONE;
                    case FIXED -> rule.weightsPct().get(i);
                    case PROPORTIONAL -> sum(features, retainedCost);
                    case TELEMETRY -> BigDecimal.valueOf(features.stream()
                            .mapToLong(f -> ("requests".equals(rule.metric()) ? retainedRequests : retainedTokens).getOrDefault(f, 0L))
                            .sum());
                });
            }
            boolean noBasis = weights.stream().allMatch(w -> w.signum() == 0);
            String basis = basis(rule) + (noBasis ? "; no target has any, so spread evenly" : "");
            List<BigDecimal> amounts = LargestRemainder.split(pool, weights, SCALE);
            List<Allocation.Share> shares = new ArrayList<>();
            for (int i = 0; i < rule.targets().size(); i++) {
                List<String> features = registry.featuresOf(rule.level(), rule.targets().get(i));
                List<BigDecimal> featureWeights = features.stream()
                        .map(f -> retainedCost.getOrDefault(f, BigDecimal.ZERO)).toList();
                List<BigDecimal> parts = LargestRemainder.split(amounts.get(i), featureWeights, SCALE);
                Map<String, BigDecimal> byFeature = new LinkedHashMap<>();
                for (int f = 0; f < features.size(); f++) {
                    byFeature.put(features.get(f), parts.get(f));
                    received.merge(features.get(f), parts.get(f), BigDecimal::add);
                }
                shares.add(new Allocation.Share(rule.targets().get(i), weights.get(i), amounts.get(i), byFeature));
            }
            results.add(new Allocation.RuleResult(rule, pool, given, shares, basis));
        }
        // Results in the file's order for people; the amounts were computed in feed order.
        results.sort(java.util.Comparator.comparingInt(r -> fileOrder.indexOf(r.rule())));
        return new Allocation(month, version, registry, allocated, results);
    }

    private static String basis(AllocationRule rule) {
        return switch (rule.method()) {
            case EVEN -> "even over " + rule.targets().size() + " " + rule.level().code() + "s";
            case FIXED -> "fixed weights (percent)";
            case PROPORTIONAL -> "the targets' retained direct cost of the month (USD)";
            case TELEMETRY -> "the targets' retained " + rule.metric() + " of the month";
        };
    }

    private static List<Allocation.Given> mergeByFeature(List<Allocation.Given> given, boolean passedOn) {
        Map<String, BigDecimal> byFeature = new LinkedHashMap<>();
        for (Allocation.Given g : given) {
            byFeature.merge(g.feature(), g.amount(), BigDecimal::add);
        }
        List<Allocation.Given> merged = new ArrayList<>();
        byFeature.forEach((f, a) -> merged.add(new Allocation.Given(f, a, passedOn)));
        return merged;
    }

    private static BigDecimal sum(List<String> features, Map<String, BigDecimal> amounts) {
        return features.stream().map(f -> amounts.getOrDefault(f, BigDecimal.ZERO)).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
