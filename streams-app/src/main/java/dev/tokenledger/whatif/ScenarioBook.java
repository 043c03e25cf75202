package dev.tokenledger.whatif;

import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.ProviderNames;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The price book a scenario prices with: the scenario's own book (or the baseline's entries) with its rate factors
 * applied. A factor multiplies every per-token rate of a matching entry (standard, batch, flex, priority and
 * long-context sets alike); per-call fees are not rates and stay as they are. A product with more than 18 decimal
 * places (the rate scale, docs/pricing.md §1) is rounded half-even to 18.
 */
final class ScenarioBook {

    static final int RATE_SCALE = 18;

    private ScenarioBook() {
    }

    static PriceBook of(List<PriceEntry> entries, List<Scenario.RateFactor> factors) {
        if (factors.isEmpty()) {
            return PriceBook.of(entries);
        }
        List<PriceEntry> scaled = new ArrayList<>(entries.size());
        for (PriceEntry entry : entries) {
            BigDecimal factor = factorFor(entry, factors);
            scaled.add(factor == null ? entry : scaled(entry, factor));
        }
        return PriceBook.of(scaled);
    }

    /** The first factor naming the entry's provider and (when it names one) model, case-insensitively. */
    static BigDecimal factorFor(PriceEntry entry, List<Scenario.RateFactor> factors) {
        String provider = ProviderNames.canonical(entry.getProvider());
        for (Scenario.RateFactor f : factors) {
            if (ProviderNames.canonical(f.provider()).equals(provider)
                    && (f.model() == null || f.model().equalsIgnoreCase(entry.getModel()))) {
                return f.factor();
            }
        }
        return null;
    }

    static PriceEntry scaled(PriceEntry entry, BigDecimal factor) {
        List<LongContextTier> tiers = new ArrayList<>();
        for (LongContextTier tier : entry.getLongContextTiers()) {
            tiers.add(new LongContextTier(tier.getAboveInputTokens(), scaled(tier.getRates(), factor)));
        }
        return PriceEntry.newBuilder(entry)
                .setStandard(scaled(entry.getStandard(), factor))
                .setBatch(scaled(entry.getBatch(), factor))
                .setFlex(scaled(entry.getFlex(), factor))
                .setPriority(scaled(entry.getPriority(), factor))
                .setLongContextTiers(tiers)
                .build();
    }

    private static PriceRates scaled(PriceRates rates, BigDecimal factor) {
        if (rates == null) {
            return null;
        }
        return new PriceRates(times(rates.getInput(), factor), times(rates.getOutput(), factor),
                times(rates.getCacheRead(), factor), times(rates.getCacheWrite5m(), factor),
                times(rates.getCacheWrite1h(), factor), times(rates.getReasoning(), factor));
    }

    private static BigDecimal times(BigDecimal rate, BigDecimal factor) {
        return rate == null ? null : rate.multiply(factor).setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
    }
}
