package dev.tokenledger.generator;

import java.math.BigDecimal;

/**
 * A model as the gateway sees it, plus what the generator needs to shape its traffic.
 *
 * @param requestModel   what the caller asked for (often an alias)
 * @param responseModel  what the provider billed (a dated snapshot where the provider returns one)
 * @param reasoning      reports reasoning tokens (inside output_tokens)
 * @param maxInputTokens the generator never sends more than this
 * @param reportedRates  list prices used to fill provider_reported_cost_usd; null where the provider returns none
 */
record Model(
        String provider,
        String requestModel,
        String responseModel,
        String region,
        boolean reasoning,
        CacheStyle cacheStyle,
        boolean flex,
        boolean priority,
        long maxInputTokens,
        long ttftMillis,
        double millisPerOutputToken,
        ReportedRates reportedRates) {

    /** How a provider's prompt cache shows up in usage. */
    enum CacheStyle {
        /** The provider caches prefixes itself and reports only reads (OpenAI, Gemini). */
        AUTOMATIC_READS,
        /** The caller marks cache breakpoints and pays for writes, 5-minute or 1-hour (Anthropic). */
        EXPLICIT_WRITES,
        NONE
    }

    /** Standard per-token list prices (USD) of an OpenAI model; batch and flex are half of them. */
    record ReportedRates(BigDecimal input, BigDecimal cachedInput, BigDecimal output) {
        static ReportedRates of(String input, String cachedInput, String output) {
            return new ReportedRates(new BigDecimal(input), new BigDecimal(cachedInput), new BigDecimal(output));
        }
    }
}
