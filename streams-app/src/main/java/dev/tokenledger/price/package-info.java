/**
 * Pricing: the price book and the exact cost engine (rules, with worked examples: docs/pricing.md).
 *
 * <ul>
 *   <li>{@link dev.tokenledger.price.PriceBook}: thread-safe in-memory index of
 *       {@code PriceEntry} versions, keyed as on llm.pricebook.v1; {@code lookup} finds the version in force.</li>
 *   <li>{@link dev.tokenledger.price.CostEngine}: {@code price(UsageEvent, PriceBook)} gives a
 *       {@link dev.tokenledger.price.PricingResult}: cost per token class, total, price reference, flags.</li>
 *   <li>{@link dev.tokenledger.price.PriceBooks}: loads a book from a file (LiteLLM JSON or the native
 *       YAML of {@link dev.tokenledger.price.NativePriceBook}) or the shipped default;
 *       {@link dev.tokenledger.price.LiteLlmPriceMap} imports the LiteLLM map.</li>
 * </ul>
 */
package dev.tokenledger.price;
