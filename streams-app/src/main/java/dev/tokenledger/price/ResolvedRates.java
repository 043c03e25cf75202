package dev.tokenledger.price;

import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import java.math.BigDecimal;

/**
 * The per-token rate of every class for one (entry, mode, long-context tier), with every fallback
 * already applied (see docs/pricing.md §4 to §7), so pricing an event is multiplication only. A null rate means
 * the book has no price for a class that has no fallback (input or output): that class costs 0
 * and the event is flagged {@link PricingFlag#MISSING_RATE}.
 *
 * <p>Flags are kept per class because a fallback matters only when the event has tokens in that
 * class: a model without a cache-read price is not flagged for an event without cache reads.
 */
final class ResolvedRates {

    private static final BigDecimal HALF = new BigDecimal("0.5");

    private final BigDecimal[] rate = new BigDecimal[RateClass.ALL.length];
    private final int[] flags = new int[RateClass.ALL.length];
    /** Flags that hold for any event priced with these rates (long-context tier, missing flex set). */
    final int alwaysFlags;
    /** PriceRef.tier: the mode, plus {@code :above_N} when a long-context tier applied. */
    final String tierLabel;

    ResolvedRates(PriceEntry entry, PricingMode mode, LongContextTier tier) {
        PriceRates standard = entry.getStandard();
        PriceRates tierRates = tier == null ? null : tier.getRates();
        PriceRates modeRates = mode == PricingMode.STANDARD ? null : mode.ratesOf(entry);
        // flex/priority with no such price set in the book: the standard price, said once for the whole event.
        boolean modeMissing = (mode == PricingMode.FLEX || mode == PricingMode.PRIORITY) && modeRates == null;
        PricingMode effective = modeMissing ? PricingMode.STANDARD : mode;

        int always = 0;
        if (tier != null) {
            always |= PricingFlag.LONG_CONTEXT_TIER.bit();
        }
        if (modeMissing) {
            always |= PricingFlag.TIER_FALLBACK.bit();
        }
        this.alwaysFlags = always;
        this.tierLabel = effective.label + (tier == null ? "" : ":above_" + tier.getAboveInputTokens());

        for (RateClass c : RateClass.ALL) {
            resolveMode(c, effective, standard, tierRates, modeRates);
        }
        applyClassFallbacks();
    }

    /** The price of one class in the mode, before the class fallbacks (cache -> input, reasoning -> output). */
    private void resolveMode(RateClass c, PricingMode mode, PriceRates standard, PriceRates tierRates,
                             PriceRates modeRates) {
        BigDecimal base = c.of(standard);
        BigDecimal tiered = c.of(tierRates);
        int i = c.ordinal();
        switch (mode) {
            case BATCH:
                // The book holds no batch long-context prices: a tier-priced class is half its tier price,
                // as providers discount batch by 50% in every tier.
                if (tiered != null) {
                    rate[i] = tiered.multiply(HALF);
                    flags[i] |= PricingFlag.BATCH_FALLBACK.bit();
                } else if (c.of(modeRates) != null) {
                    rate[i] = c.of(modeRates);
                } else if (base != null) {
                    rate[i] = base.multiply(HALF);
                    flags[i] |= PricingFlag.BATCH_FALLBACK.bit();
                }
                break;
            case FLEX:
            case PRIORITY:
                // No flex/priority long-context prices exist in the book: the tier's standard price, flagged.
                if (tiered != null) {
                    rate[i] = tiered;
                    flags[i] |= PricingFlag.TIER_FALLBACK.bit();
                } else if (c.of(modeRates) != null) {
                    rate[i] = c.of(modeRates);
                } else if (base != null) {
                    rate[i] = base;
                    flags[i] |= PricingFlag.TIER_FALLBACK.bit();
                }
                break;
            default:
                rate[i] = tiered != null ? tiered : base;
        }
    }

    private void applyClassFallbacks() {
        int in = RateClass.INPUT.ordinal();
        int out = RateClass.OUTPUT.ordinal();
        if (rate[in] == null) {
            flags[in] |= PricingFlag.MISSING_RATE.bit();
        }
        if (rate[out] == null) {
            flags[out] |= PricingFlag.MISSING_RATE.bit();
        }
        fallBack(RateClass.CACHE_READ, RateClass.INPUT, PricingFlag.CACHE_READ_FALLBACK);
        fallBack(RateClass.CACHE_WRITE_5M, RateClass.INPUT, PricingFlag.CACHE_WRITE_FALLBACK);
        fallBack(RateClass.CACHE_WRITE_1H, RateClass.CACHE_WRITE_5M, PricingFlag.CACHE_WRITE_1H_FALLBACK);
        // No separate reasoning price: reasoning tokens are output tokens, at the output price (not a fallback).
        int r = RateClass.REASONING.ordinal();
        if (rate[r] == null) {
            rate[r] = rate[out];
            flags[r] = flags[out];
        }
    }

    private void fallBack(RateClass missing, RateClass to, PricingFlag flag) {
        int m = missing.ordinal();
        if (rate[m] == null) {
            rate[m] = rate[to.ordinal()];
            flags[m] = flags[to.ordinal()] | flag.bit();
        }
    }

    BigDecimal rate(RateClass c) {
        return rate[c.ordinal()];
    }

    int flags(RateClass c) {
        return flags[c.ordinal()];
    }
}
