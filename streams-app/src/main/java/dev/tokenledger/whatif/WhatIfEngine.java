package dev.tokenledger.whatif;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.price.PricingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-prices actual calls under a scenario with the pipeline's own cost engine ({@link CostEngine#price}, the function
 * the price stage and {@code tokenledger price} use).
 *
 * <p>A call's scenario cost is its actual cost plus what the scenario changes:
 * {@code actual + price(reshaped call, scenario book) - price(call, baseline book)}. When the baseline book is the one
 * that priced the month, the re-price of the call equals its actual cost and this is exactly
 * {@code price(reshaped call, scenario book)}; when it is not, the difference between the books is kept out of the
 * savings and counted in {@link WhatIfResult#repriceMismatches()} instead. A call no lever touches, priced with the
 * same book, costs exactly what it cost: a scenario that changes nothing reproduces the month to the last digit.
 */
public final class WhatIfEngine {

    private final Scenario scenario;
    private final PriceBook baseline;
    private final PriceBook scenarioBook;
    private final CallReshaper reshaper;

    public WhatIfEngine(Scenario scenario, List<PriceEntry> baselineEntries) {
        this(scenario, PriceBook.of(baselineEntries), baselineEntries);
    }

    WhatIfEngine(Scenario scenario, PriceBook baseline, List<PriceEntry> baselineEntries) {
        this.scenario = scenario;
        this.baseline = baseline;
        boolean sameBook = scenario.priceBook().isEmpty() && scenario.rateFactors().isEmpty();
        this.scenarioBook = sameBook ? baseline
                : ScenarioBook.of(scenario.priceBook().map(PriceBooks::read).orElse(baselineEntries), scenario.rateFactors());
        this.reshaper = new CallReshaper(scenario);
    }

    public Scenario scenario() {
        return scenario;
    }

    /**
     * The substitutes the scenario book cannot price at {@code at} (each a {@code line N: ...} sentence): priced at
     * zero they would show as savings that are not there.
     */
    public List<String> unpricedSubstitutes(Instant at) {
        List<String> problems = new ArrayList<>();
        for (Scenario.Substitution s : scenario.substitutions()) {
            if (scenarioBook.lookup(s.toProvider(), s.toModel(), null, at).isEmpty()) {
                problems.add("line " + s.line() + ": the substitute " + s.toProvider() + "/" + s.toModel()
                        + " has no price in the scenario's book at " + at);
            }
        }
        return problems;
    }

    /** One call under the scenario. */
    public Repriced price(MonthCall call) {
        CallReshaper.Reshaped reshaped = reshaper.apply(call.event(), call.feature());
        PricingResult before = CostEngine.price(call.event(), baseline);
        PricingResult after = reshaped.event() == call.event() && scenarioBook == baseline
                ? before : CostEngine.price(reshaped.event(), scenarioBook);
        Money scenarioCost = call.actualCost().plus(after.total()).minus(before.total());
        boolean changed = !reshaped.levers().isEmpty() || !after.total().equals(before.total());
        return new Repriced(call, scenarioCost, before.total(), changed, reshaped);
    }

    /**
     * @param scenarioCost the call's cost under the scenario
     * @param repriced     the call as it was, re-priced with the baseline book
     * @param changed      a lever touched the call or the scenario's book prices it differently
     */
    public record Repriced(MonthCall call, Money scenarioCost, Money repriced, boolean changed,
                           CallReshaper.Reshaped reshaped) {

        /** The baseline book re-prices the call differently from what the pipeline recorded. */
        public boolean repriceMismatch() {
            return !repriced.equals(call.actualCost());
        }

        Scenario.Substitution substitution() {
            return reshaped.substitution();
        }
    }
}
