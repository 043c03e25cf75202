package dev.tokenledger.whatif;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Adds up re-priced calls per feature, then works out cost per successful task before and after. */
public final class WhatIfLedger {

    private static final int SCALE = Money.SCALE;

    private static final class Sums {
        long calls;
        long changed;
        Money actual = Money.ZERO;
        Money scenario = Money.ZERO;
        Money taskedActual = Money.ZERO;
        Money taskedScenario = Money.ZERO;
        final Set<Scenario.Substitution> substitutions = new LinkedHashSet<>();
    }

    private final Map<String, Sums> byFeature = new TreeMap<>();
    private long mismatches;
    private Money mismatchDifference = Money.ZERO;

    public void add(WhatIfEngine.Repriced r) {
        Sums s = byFeature.computeIfAbsent(r.call().feature(), f -> new Sums());
        s.calls++;
        s.changed += r.changed() ? 1 : 0;
        s.actual = s.actual.plus(r.call().actualCost());
        s.scenario = s.scenario.plus(r.scenarioCost());
        if (r.call().tasked()) {
            s.taskedActual = s.taskedActual.plus(r.call().actualCost());
            s.taskedScenario = s.taskedScenario.plus(r.scenarioCost());
        }
        if (r.substitution() != null) {
            s.substitutions.add(r.substitution());
        }
        if (r.repriceMismatch()) {
            mismatches++;
            mismatchDifference = mismatchDifference.plus(r.repriced().minus(r.call().actualCost()));
        }
    }

    public WhatIfResult result(String scenarioName, TaskOutcomes outcomes) {
        List<String> notes = new ArrayList<>();
        List<WhatIfResult.Row> rows = new ArrayList<>();
        Sums total = new Sums();
        BigDecimal totalBefore = BigDecimal.ZERO;
        BigDecimal totalAfter = BigDecimal.ZERO;
        boolean anyTasks = false;
        for (Map.Entry<String, Sums> e : byFeature.entrySet()) {
            Sums s = e.getValue();
            String feature = e.getKey();
            TaskOutcomes.Counts tasks = outcomes.feature(feature);
            Long successes = null;
            BigDecimal before = null;
            BigDecimal successesAfter = null;
            BigDecimal after = null;
            if (tasks.known() > 0) {
                anyTasks = true;
                successes = tasks.successes();
                successesAfter = expectedSuccesses(feature, s, outcomes, notes);
                before = perSuccess(s.taskedActual, BigDecimal.valueOf(successes));
                after = perSuccess(s.taskedScenario, successesAfter);
                totalBefore = totalBefore.add(BigDecimal.valueOf(successes));
                totalAfter = totalAfter.add(successesAfter);
            }
            rows.add(new WhatIfResult.Row(feature, s.calls, s.changed, s.actual, s.scenario, successes, before,
                    successesAfter, after));
            total.calls += s.calls;
            total.changed += s.changed;
            total.actual = total.actual.plus(s.actual);
            total.scenario = total.scenario.plus(s.scenario);
            total.taskedActual = total.taskedActual.plus(s.taskedActual);
            total.taskedScenario = total.taskedScenario.plus(s.taskedScenario);
        }
        WhatIfResult.Row totalRow = new WhatIfResult.Row("TOTAL", total.calls, total.changed, total.actual, total.scenario,
                anyTasks ? totalBefore.longValueExact() : null,
                anyTasks ? perSuccess(total.taskedActual, totalBefore) : null,
                anyTasks ? totalAfter : null,
                anyTasks ? perSuccess(total.taskedScenario, totalAfter) : null);
        if (!anyTasks) {
            notes.add("no task outcomes in the month: cost per successful task not computed");
        }
        if (mismatches > 0) {
            notes.add(mismatches + " calls re-price differently under the baseline book than the pipeline priced them ("
                    + mismatchDifference.toPlainString() + " USD in all): the month was priced with another book;"
                    + " the savings leave that difference out (pass the book the month was priced with as --pricebook)");
        }
        return new WhatIfResult(scenarioName, rows, totalRow, mismatches, mismatchDifference, notes);
    }

    /**
     * The feature's successful tasks, with the tasks whose primary model a substitution replaces succeeding at the
     * substitute's rate: the scenario's {@code success_rate}, else the rate observed for the substitute on this
     * feature, else (said in a note) the replaced model's own rate.
     */
    private static BigDecimal expectedSuccesses(String feature, Sums s, TaskOutcomes outcomes, List<String> notes) {
        BigDecimal expected = BigDecimal.valueOf(outcomes.feature(feature).successes());
        for (Scenario.Substitution sub : s.substitutions) {
            TaskOutcomes.Counts replaced = outcomes.model(feature, sub.fromModel());
            Optional<BigDecimal> rate = sub.successRate().or(() -> outcomes.model(feature, sub.toModel()).successRate());
            if (rate.isEmpty()) {
                notes.add(feature + ": no success rate for " + sub.toModel() + " (none in the scenario, no outcomes"
                        + " observed): its tasks assumed to succeed as often as with " + sub.fromModel());
                continue;
            }
            expected = expected.subtract(BigDecimal.valueOf(replaced.successes()))
                    .add(BigDecimal.valueOf(replaced.known()).multiply(rate.get()));
        }
        return expected.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal perSuccess(Money cost, BigDecimal successes) {
        return successes.signum() == 0 ? null : cost.toBigDecimal().divide(successes, SCALE, RoundingMode.HALF_EVEN);
    }
}
