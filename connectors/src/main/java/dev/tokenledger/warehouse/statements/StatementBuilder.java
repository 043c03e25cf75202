package dev.tokenledger.warehouse.statements;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Draws up a month's statements at one level from its {@link Allocation} (and the prior month's, for the change).
 * Exact amounts are sums of the allocation; cents are rounded by {@link LargestRemainder}: the total and the direct
 * columns each over all statements to the month's total, shared as total minus direct, a statement's shared lines to
 * its shared cents and its direct lines to its direct cents. So the statements sum to the month's total to the cent,
 * each total and each direct amount is within a cent of its exact value, shared cost nets to zero across the
 * statements, and every statement adds up on its own.
 */
public final class StatementBuilder {

    /** The scope of a feature the registry gives no cost center or product line. */
    public static final String NO_SCOPE = "-";
    private static final int SCALE = Money.SCALE;
    private static final int CENTS = LargestRemainder.CENTS;

    private StatementBuilder() {
    }

    /** Exact sums of one scope, before rounding. */
    private static final class Draft {
        final String scope;
        final Set<String> features = new LinkedHashSet<>();
        final Set<String> teams = new LinkedHashSet<>();
        final Set<String> owners = new LinkedHashSet<>();
        final Map<String, long[]> directRequests = new LinkedHashMap<>();
        final Map<String, BigDecimal> directCost = new LinkedHashMap<>();
        final Map<String, VarianceSplit.Segment> segments = new LinkedHashMap<>();
        final Map<LocalDate, BigDecimal> byDay = new TreeMap<>();
        final Map<String, BigDecimal> received = new LinkedHashMap<>();
        final Map<String, BigDecimal> given = new LinkedHashMap<>();
        final Map<String, List<String>> targetsHere = new LinkedHashMap<>();
        BigDecimal direct = zero();

        Draft(String scope) {
            this.scope = scope;
        }

        BigDecimal shared() {
            return sum(received.values()).add(sum(given.values()));
        }

        BigDecimal total() {
            return direct.add(shared());
        }
    }

    public static String scopeOf(String feature, TargetLevel level, OwnershipRegistry registry) {
        if (feature.equals(RuleSource.UNALLOCATED)) {
            return RuleSource.UNALLOCATED;
        }
        String scope = level.of(registry.home(feature));
        return scope == null ? NO_SCOPE : scope;
    }

    public static MonthStatements build(TargetLevel level, Allocation current, Allocation prior) {
        Map<String, Draft> drafts = drafts(level, current);
        Map<String, Draft> priorDrafts = prior == null ? Map.of() : drafts(level, prior);
        for (String scope : priorDrafts.keySet()) {
            drafts.computeIfAbsent(scope, Draft::new);
        }
        List<Draft> ordered = new ArrayList<>(drafts.values());
        ordered.sort(Comparator.<Draft, Boolean>comparing(d -> d.scope.equals(RuleSource.UNALLOCATED))
                .thenComparing(Comparator.<Draft, BigDecimal>comparing(Draft::total).reversed())
                .thenComparing(d -> d.scope));
        BigDecimal monthTotal = current.total().setScale(SCALE, RoundingMode.UNNECESSARY);
        // Totals and direct cost each round over all statements to the month's total (each within a cent of exact);
        // shared is their difference, so it nets to zero across the statements and each statement adds up.
        List<BigDecimal> totalCents = LargestRemainder.round(ordered.stream().map(Draft::total).toList(), CENTS);
        List<BigDecimal> directCents = LargestRemainder.round(ordered.stream().map(d -> d.direct).toList(), CENTS);
        Map<String, OwnerStatement.Amount> priorTotals = priorTotals(level, prior);
        List<OwnerStatement> statements = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Draft d = ordered.get(i);
            BigDecimal sharedCents = totalCents.get(i).subtract(directCents.get(i));
            List<Allocation.RuleResult> rules = new ArrayList<>();
            List<BigDecimal> exactParts = new ArrayList<>();
            for (Allocation.RuleResult r : current.rules()) {
                String name = r.rule().name();
                BigDecimal in = d.received.getOrDefault(name, zero());
                BigDecimal out = d.given.getOrDefault(name, zero());
                if (in.signum() == 0 && out.signum() == 0 && !d.targetsHere.containsKey(name)) {
                    continue;
                }
                rules.add(r);
                exactParts.add(in);
                exactParts.add(out);
            }
            // The statement's shared lines (received and given per rule) round to its shared cents.
            List<BigDecimal> partCents = LargestRemainder.round(exactParts, sharedCents, CENTS);
            List<OwnerStatement.SharedLine> sharedLines = new ArrayList<>();
            BigDecimal inCents = zeroCents();
            BigDecimal outCents = zeroCents();
            for (int k = 0; k < rules.size(); k++) {
                Allocation.RuleResult r = rules.get(k);
                String name = r.rule().name();
                inCents = inCents.add(partCents.get(2 * k));
                outCents = outCents.add(partCents.get(2 * k + 1));
                sharedLines.add(new OwnerStatement.SharedLine(name, r.rule().source().toString(), r.rule().methodText(),
                        r.basis(), shareText(r, d.targetsHere.getOrDefault(name, List.of())),
                        new OwnerStatement.Amount(exactParts.get(2 * k), partCents.get(2 * k)),
                        new OwnerStatement.Amount(exactParts.get(2 * k + 1), partCents.get(2 * k + 1))));
            }
            OwnerStatement.Amount direct = new OwnerStatement.Amount(d.direct, directCents.get(i));
            OwnerStatement.Amount total = new OwnerStatement.Amount(d.total(), totalCents.get(i));
            statements.add(new OwnerStatement(d.scope, String.join("; ", d.owners), direct,
                    new OwnerStatement.Amount(sum(d.received.values()), inCents),
                    new OwnerStatement.Amount(sum(d.given.values()), outCents),
                    new OwnerStatement.Amount(d.shared(), sharedCents), total, directLines(d, direct.cents()), sharedLines,
                    change(d, priorDrafts.get(d.scope), total, priorTotals.get(d.scope)),
                    d.features, d.teams, d.byDay));
        }
        BigDecimal unallocated = sum(current.cells().stream().filter(c -> c.cell().unallocated()).map(c -> c.cell().costUsd()).toList());
        BigDecimal unspread = sum(current.cells().stream().filter(c -> c.cell().unallocated() && c.pooledBy() == null)
                .map(c -> c.cell().costUsd()).toList());
        BigDecimal coverage = monthTotal.signum() == 0 ? null
                : BigDecimal.valueOf(100).multiply(monthTotal.subtract(unallocated)).divide(monthTotal, 4, RoundingMode.HALF_UP);
        return new MonthStatements(current.month(), level, current.version(), statements,
                new OwnerStatement.Amount(monthTotal, monthTotal.setScale(CENTS, RoundingMode.HALF_EVEN)), coverage,
                unallocated, unspread, current);
    }

    private static Map<String, Draft> drafts(TargetLevel level, Allocation allocation) {
        OwnershipRegistry registry = allocation.registry();
        Map<String, Draft> drafts = new LinkedHashMap<>();
        for (Allocation.Cell c : allocation.cells()) {
            CostCell cell = c.cell();
            Draft d = draft(drafts, cell.feature(), level, registry);
            d.direct = d.direct.add(cell.costUsd());
            String key = cell.feature() + "\u0000" + cell.model() + "\u0000" + cell.environment();
            d.directCost.merge(key, cell.costUsd(), BigDecimal::add);
            d.directRequests.computeIfAbsent(key, k -> new long[1])[0] += cell.requests();
            d.segments.merge(cell.feature() + "\u0000" + cell.model(), new VarianceSplit.Segment(cell.requests(), cell.costUsd()),
                    (a, b) -> new VarianceSplit.Segment(a.requests() + b.requests(), a.costUsd().add(b.costUsd())));
            d.byDay.merge(cell.day(), cell.costUsd(), BigDecimal::add);
            d.teams.add(cell.team());
        }
        for (Allocation.RuleResult r : allocation.rules()) {
            String name = r.rule().name();
            for (Allocation.Given g : r.given()) {
                draft(drafts, g.feature(), level, registry).given.merge(name, g.amount().negate(), BigDecimal::add);
            }
            for (Allocation.Share s : r.shares()) {
                for (Map.Entry<String, BigDecimal> f : s.byFeature().entrySet()) {
                    Draft d = draft(drafts, f.getKey(), level, registry);
                    d.received.merge(name, f.getValue(), BigDecimal::add);
                    List<String> here = d.targetsHere.computeIfAbsent(name, k -> new ArrayList<>());
                    if (!here.contains(s.target())) {
                        here.add(s.target());
                    }
                }
            }
        }
        return drafts;
    }

    private static Draft draft(Map<String, Draft> drafts, String feature, TargetLevel level, OwnershipRegistry registry) {
        Draft d = drafts.computeIfAbsent(scopeOf(feature, level, registry), Draft::new);
        d.features.add(feature);
        FeatureHome home = registry.home(feature);
        if (home.owner() != null) {
            d.owners.add(home.owner());
        }
        if (home.team() != null && !feature.equals(RuleSource.UNALLOCATED)) {
            d.teams.add(home.team());
        }
        return d;
    }

    private static List<OwnerStatement.DirectLine> directLines(Draft d, BigDecimal directCents) {
        List<String> keys = new ArrayList<>(d.directCost.keySet());
        keys.sort(Comparator.<String, BigDecimal>comparing(k -> d.directCost.get(k)).reversed().thenComparing(k -> k));
        List<BigDecimal> cents = LargestRemainder.round(keys.stream().map(d.directCost::get).toList(), directCents, CENTS);
        List<OwnerStatement.DirectLine> lines = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String[] parts = keys.get(i).split("\u0000", -1);
            lines.add(new OwnerStatement.DirectLine(parts[0], parts[1], parts[2], d.directRequests.get(keys.get(i))[0],
                    new OwnerStatement.Amount(d.directCost.get(keys.get(i)), cents.get(i))));
        }
        return lines;
    }

    /** The prior month's totals with its own cents, rounded as its own statements were. */
    private static Map<String, OwnerStatement.Amount> priorTotals(TargetLevel level, Allocation prior) {
        Map<String, OwnerStatement.Amount> totals = new LinkedHashMap<>();
        if (prior != null) {
            for (OwnerStatement s : build(level, prior, null).statements()) {
                totals.put(s.scope(), s.total());
            }
        }
        return totals;
    }

    private static OwnerStatement.Change change(Draft d, Draft prior, OwnerStatement.Amount total, OwnerStatement.Amount priorTotal) {
        BigDecimal priorExact = prior == null ? zero() : prior.total();
        BigDecimal priorCents = priorTotal == null ? zeroCents() : priorTotal.cents();
        VarianceSplit.Parts parts = VarianceSplit.split(prior == null ? Map.of() : prior.segments, d.segments);
        BigDecimal sharedChange = d.shared().subtract(prior == null ? zero() : prior.shared());
        BigDecimal changeExact = total.exact().subtract(priorExact);
        BigDecimal changeCents = total.cents().subtract(priorCents);
        List<BigDecimal> exact = List.of(parts.volume(), parts.mix(), parts.rate(), sharedChange);
        List<BigDecimal> cents = LargestRemainder.round(exact, changeCents, CENTS);
        return new OwnerStatement.Change(new OwnerStatement.Amount(priorExact, priorCents),
                new OwnerStatement.Amount(changeExact, changeCents),
                new OwnerStatement.Amount(parts.volume(), cents.get(0)), new OwnerStatement.Amount(parts.mix(), cents.get(1)),
                new OwnerStatement.Amount(parts.rate(), cents.get(2)), new OwnerStatement.Amount(sharedChange, cents.get(3)));
    }

    private static String shareText(Allocation.RuleResult r, List<String> targets) {
        if (targets.isEmpty()) {
            return "";
        }
        BigDecimal all = r.shares().stream().map(Allocation.Share::weight).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<String> parts = new ArrayList<>();
        for (Allocation.Share s : r.shares()) {
            if (!targets.contains(s.target())) {
                continue;
            }
            String pct = all.signum() == 0 ? BigDecimal.valueOf(100).divide(BigDecimal.valueOf(r.shares().size()), 4, RoundingMode.HALF_UP).toPlainString()
                    : BigDecimal.valueOf(100).multiply(s.weight()).divide(all, 4, RoundingMode.HALF_UP).toPlainString();
            parts.add(s.target() + " " + plain(s.weight()) + " of " + plain(all) + " (" + pct + "%)");
        }
        return String.join("; ", parts);
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static BigDecimal sum(java.util.Collection<BigDecimal> values) {
        return values.stream().reduce(zero(), BigDecimal::add);
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(SCALE);
    }

    private static BigDecimal zeroCents() {
        return BigDecimal.ZERO.setScale(CENTS);
    }
}
