package dev.tokenledger.price;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.PriceRef;
import dev.tokenledger.money.Money;
import java.util.List;
import java.util.Set;

/**
 * The cost of one usage event per token class. {@code total} is the exact sum of the classes;
 * {@code price} names the price-book version used and is null when the event is unpriced.
 *
 * @param billedModel   response_model, else request_model
 * @param uncachedInput input tokens that were neither cache reads nor cache writes
 * @param cacheRead     cache-read tokens
 * @param cacheWrite    cache-write tokens, 5-minute and 1-hour
 * @param output        output tokens other than reasoning
 * @param reasoning     reasoning tokens (at the reasoning price, or the output price when the book has none)
 * @param fees          per-call fees (web search)
 * @param total         the sum of the above, exactly
 */
public record PricingResult(String billedModel, Money uncachedInput, Money cacheRead, Money cacheWrite,
                            Money output, Money reasoning, Money fees, Money total, PriceRef price,
                            Set<PricingFlag> flags) {

    public boolean priced() {
        return price != null;
    }

    /** The Avro cost record; amounts are already at scale 12 as decimal(38,12) requires. */
    public CostBreakdown toAvroCost() {
        return new CostBreakdown(uncachedInput.toBigDecimal(), cacheRead.toBigDecimal(), cacheWrite.toBigDecimal(),
                output.toBigDecimal(), reasoning.toBigDecimal(), fees.toBigDecimal(), total.toBigDecimal());
    }

    /** The flags as written into priced events, lower_snake, in declaration order: e.g. {@code [long_context_tier, batch_fallback]}. */
    public List<String> flagNames() {
        return PricingFlag.namesOf(flags);
    }
}
