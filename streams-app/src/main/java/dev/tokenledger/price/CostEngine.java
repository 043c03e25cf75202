package dev.tokenledger.price;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRef;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Prices one usage event against the price book, by the rules of docs/pricing.md (section numbers below).
 *
 * <ul>
 *   <li>Tokens are inclusive: uncached input = input - cache reads - cache writes; output includes
 *       reasoning (§2).</li>
 *   <li>Each class cost is {@link Money#times} (the single rounding point); the total is their exact sum (§1).</li>
 *   <li>Reasoning tokens are priced at the reasoning price when the book has one, else at the output
 *       price; either way they are reported in the {@code reasoning} class and the rest of the output in
 *       {@code output} (§4).</li>
 *   <li>Cache writes: 1-hour writes at the 1-hour price, else at the 5-minute write price; missing
 *       cache prices fall back to the input price (flagged) (§4).</li>
 *   <li>Long context: input_tokens strictly above a tier threshold prices every class of the request
 *       at that tier; a class without a tier price keeps its base price (§5).</li>
 *   <li>Batch (wins over service_tier, as batch APIs have no service tier): the book's batch price, else 50%
 *       of the standard price (flagged). Above a long-context threshold a tier-priced class is 50% of its
 *       tier price (flagged), since the book holds no batch long-context prices and providers apply the
 *       same 50% batch discount in every tier (§6).</li>
 *   <li>flex / priority: the book's price, else the standard price (flagged). Above a long-context
 *       threshold a tier-priced class keeps the tier's standard price (flagged) (§7).</li>
 *   <li>Per-call fees: web_search_calls x the book's web_search fee (§8).</li>
 *   <li>Failed calls are priced on the tokens they report, like any other call (§9).</li>
 *   <li>A model absent from the book: every amount zero, flagged unpriced, price null (§10).</li>
 * </ul>
 *
 * <p>The engine expects a validated event but never throws on one that is not: negative counts
 * and subsets above their totals are clamped and flagged {@code inconsistent_tokens} (§2).
 */
public final class CostEngine {

    private CostEngine() {
    }

    public static PricingResult price(UsageEvent e, PriceBook book) {
        String billedModel = billedModel(e);
        Instant at = e.getTimestamp();
        PriceMatch match = at == null ? null : book.find(e.getProvider(), billedModel, e.getRegion(), at.toEpochMilli());
        if (match == null) {
            return unpriced(billedModel);
        }
        return price(e, billedModel, match);
    }

    /** response_model is what the provider billed; request_model when the response named none. */
    public static String billedModel(UsageEvent e) {
        String response = e.getResponseModel();
        return response == null || response.isBlank() ? e.getRequestModel() : response;
    }

    private static PricingResult price(UsageEvent e, String billedModel, PriceMatch match) {
        int flags = matchFlags(match);
        PricingMode mode;
        if (e.getBatch()) {
            mode = PricingMode.BATCH;
        } else {
            String tier = e.getServiceTier();
            if (tier == null || tier.isEmpty() || "standard".equalsIgnoreCase(tier) || "default".equalsIgnoreCase(tier)
                    || "auto".equalsIgnoreCase(tier)) {
                mode = PricingMode.STANDARD;
            } else if ("flex".equalsIgnoreCase(tier)) {
                mode = PricingMode.FLEX;
            } else if ("priority".equalsIgnoreCase(tier)) {
                mode = PricingMode.PRIORITY;
            } else {
                mode = PricingMode.STANDARD;
                flags |= PricingFlag.TIER_FALLBACK.bit();
            }
        }

        long input = e.getInputTokens();
        long cacheRead = e.getCacheReadInputTokens();
        long cacheWrite = e.getCacheCreationInputTokens();
        long cacheWrite1h = e.getCacheCreation1hInputTokens();
        long output = e.getOutputTokens();
        long reasoning = e.getReasoningOutputTokens();
        long webSearches = e.getWebSearchCalls();
        if (input < 0 || cacheRead < 0 || cacheWrite < 0 || cacheWrite1h < 0 || output < 0 || reasoning < 0
                || webSearches < 0 || cacheRead > input - cacheWrite || cacheWrite1h > cacheWrite || reasoning > output) {
            flags |= PricingFlag.INCONSISTENT_TOKENS.bit();
            input = Math.max(0, input);
            cacheRead = Math.min(Math.max(0, cacheRead), input);
            cacheWrite = Math.min(Math.max(0, cacheWrite), input - cacheRead);
            cacheWrite1h = Math.min(Math.max(0, cacheWrite1h), cacheWrite);
            output = Math.max(0, output);
            reasoning = Math.min(Math.max(0, reasoning), output);
            webSearches = Math.max(0, webSearches);
        }
        long uncached = input - cacheRead - cacheWrite;
        long cacheWrite5m = cacheWrite - cacheWrite1h;
        long plainOutput = output - reasoning;

        RateCard card = match.card();
        ResolvedRates rates = card.select(mode, input);
        flags |= rates.alwaysFlags;
        flags |= classFlags(rates, RateClass.INPUT, uncached);
        flags |= classFlags(rates, RateClass.CACHE_READ, cacheRead);
        flags |= classFlags(rates, RateClass.CACHE_WRITE_5M, cacheWrite5m);
        flags |= classFlags(rates, RateClass.CACHE_WRITE_1H, cacheWrite1h);
        flags |= classFlags(rates, RateClass.OUTPUT, plainOutput);
        flags |= classFlags(rates, RateClass.REASONING, reasoning);

        Money uncachedCost = Money.times(uncached, rates.rate(RateClass.INPUT));
        Money cacheReadCost = Money.times(cacheRead, rates.rate(RateClass.CACHE_READ));
        Money cacheWriteCost = Money.times(cacheWrite5m, rates.rate(RateClass.CACHE_WRITE_5M))
                .plus(Money.times(cacheWrite1h, rates.rate(RateClass.CACHE_WRITE_1H)));
        Money outputCost = Money.times(plainOutput, rates.rate(RateClass.OUTPUT));
        Money reasoningCost = Money.times(reasoning, rates.rate(RateClass.REASONING));
        Money fees = Money.ZERO;
        if (webSearches > 0) {
            BigDecimal fee = card.webSearchFee();
            if (fee == null) {
                flags |= PricingFlag.FEE_UNPRICED.bit();
            } else {
                fees = Money.times(webSearches, fee);
            }
        }
        Money total = uncachedCost.plus(cacheReadCost).plus(cacheWriteCost).plus(outputCost).plus(reasoningCost)
                .plus(fees);

        PriceEntry entry = card.entry();
        PriceRef ref = new PriceRef(entry.getProvider(), entry.getModel(), entry.getRegion(), entry.getEffectiveFrom(),
                rates.tierLabel, entry.getSource());
        return new PricingResult(billedModel, uncachedCost, cacheReadCost, cacheWriteCost, outputCost, reasoningCost,
                fees, total, ref, PricingFlag.setOf(flags));
    }

    private static int classFlags(ResolvedRates rates, RateClass c, long tokens) {
        return tokens > 0 ? rates.flags(c) : 0;
    }

    private static int matchFlags(PriceMatch match) {
        int flags = match.regionFallback() ? PricingFlag.REGION_FALLBACK.bit() : 0;
        if (match.kind() == MatchKind.ALIAS) {
            flags |= PricingFlag.ALIAS_MATCH.bit();
        } else if (match.kind() == MatchKind.NORMALISED) {
            flags |= PricingFlag.NORMALISED_MATCH.bit();
        }
        return flags;
    }

    private static PricingResult unpriced(String billedModel) {
        Money z = Money.ZERO;
        return new PricingResult(billedModel, z, z, z, z, z, z, z, null, PricingFlag.setOf(PricingFlag.UNPRICED.bit()));
    }
}
