package dev.tokenledger.whatif;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A what-if scenario: the levers applied to each of a month's actual calls before the cost engine re-prices them
 * (docs/whatif.md). Every list may be empty; a scenario with no lever re-prices the month as it was.
 *
 * @param name          a label for the report title
 * @param priceBook     another price book (a negotiated rate, a provider change) instead of the baseline book
 * @param rateFactors   per provider (and model) multipliers on every per-token rate of the book
 * @param substitutions per feature, model A replaced by model B
 * @param batch         workloads / features whose calls not sent as batch are sent as batch
 * @param cacheReads    per feature, the cache-read share of input raised to a target
 * @param tokenShapes   percent changes per token class, for one feature or all
 */
public record Scenario(String name, Optional<Path> priceBook, List<RateFactor> rateFactors,
                       List<Substitution> substitutions, Optional<BatchLever> batch, List<CacheShare> cacheReads,
                       List<TokenShape> tokenShapes) {

    public Scenario {
        rateFactors = List.copyOf(rateFactors);
        substitutions = List.copyOf(substitutions);
        cacheReads = List.copyOf(cacheReads);
        tokenShapes = List.copyOf(tokenShapes);
    }

    /** Changes nothing: the month re-priced with the baseline book. */
    public static Scenario unchanged() {
        return new Scenario("unchanged", Optional.empty(), List.of(), List.of(), Optional.empty(), List.of(), List.of());
    }

    Scenario withName(String value) {
        return new Scenario(value, priceBook, rateFactors, substitutions, batch, cacheReads, tokenShapes);
    }

    /**
     * Every per-token rate of the matching book entries multiplied by {@code factor}.
     *
     * @param model null: every model of the provider
     */
    record RateFactor(String provider, String model, BigDecimal factor, int line) {
    }

    /**
     * The calls of {@code feature} billed as {@code fromModel} are made with {@code toProvider}/{@code toModel}
     * instead, their tokens reshaped by {@code tokens}; {@code successRate} (0..1), when given, is the substitute's
     * task success rate on this feature.
     */
    record Substitution(String feature, String fromModel, String toProvider, String toModel, TokenFactors tokens,
                        Optional<BigDecimal> successRate, int line) {
    }

    /** Calls whose workload is listed (or any, when none is) and whose feature is listed (or any) go as batch. */
    record BatchLever(Set<String> workloads, Set<String> features, int line) {

        boolean covers(String workload, String feature) {
            return (workloads.isEmpty() || (workload != null && workloads.contains(workload)))
                    && (features.isEmpty() || features.contains(feature));
        }
    }

    /**
     * The cache-read share of {@code feature}'s input raised to {@code share} (0..1) per call by moving uncached
     * input tokens; of the tokens moved, {@code writeShare} are billed as 5-minute cache writes, the rest as reads.
     */
    record CacheShare(String feature, BigDecimal share, BigDecimal writeShare, int line) {
    }

    /** Percent changes per token class for {@code feature}, or every feature when it is null. */
    record TokenShape(String feature, TokenFactors factors, int line) {

        boolean covers(String callFeature) {
            return feature == null || feature.equals(callFeature);
        }
    }
}
