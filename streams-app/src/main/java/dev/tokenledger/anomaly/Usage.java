package dev.tokenledger.anomaly;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;

/**
 * The counts and exact costs of a set of rollup rows (one scope, one model, one or more hours): what
 * the detectors score and the {@link Drivers} decompose. Each priced cost class pairs with the
 * tokens it prices: uncached input, cache reads, cache writes, output without reasoning, reasoning;
 * fees are per request.
 */
public record Usage(long requests, long successes, long failures, long retries, long unpricedRequests,
                    long inputTokens, long uncachedInputTokens, long cacheReadTokens, long cacheWriteTokens,
                    long outputTokens, long reasoningTokens,
                    BigDecimal uncachedInputCost, BigDecimal cacheReadCost, BigDecimal cacheWriteCost,
                    BigDecimal outputCost, BigDecimal reasoningCost, BigDecimal feesCost,
                    BigDecimal totalCost, BigDecimal retryCost) {

    private static final BigDecimal ZERO = Money.ZERO.toBigDecimal();
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO);

    /** The token classes a cost class prices, in {@link #tokens(int)} / {@link #cost(int)} order. */
    public static final String[] TOKEN_CLASSES = {"uncached input", "cache-read", "cache-write", "output", "reasoning"};

    public static Usage of(Rollup r) {
        CostBreakdown c = r.getCost();
        return new Usage(r.getRequests(), r.getSuccesses(), r.getFailures(), r.getRetries(), r.getUnpricedRequests(),
                r.getInputTokens(), r.getUncachedInputTokens(), r.getCacheReadInputTokens(),
                r.getCacheCreationInputTokens(), r.getOutputTokens(), r.getReasoningOutputTokens(),
                c.getUncachedInput(), c.getCacheRead(), c.getCacheWrite(), c.getOutput(), c.getReasoning(),
                c.getFees(), c.getTotal(), r.getRetryCostUsd());
    }

    public Usage plus(Usage o) {
        return new Usage(requests + o.requests, successes + o.successes, failures + o.failures, retries + o.retries,
                unpricedRequests + o.unpricedRequests, inputTokens + o.inputTokens,
                uncachedInputTokens + o.uncachedInputTokens, cacheReadTokens + o.cacheReadTokens,
                cacheWriteTokens + o.cacheWriteTokens, outputTokens + o.outputTokens, reasoningTokens + o.reasoningTokens,
                uncachedInputCost.add(o.uncachedInputCost), cacheReadCost.add(o.cacheReadCost),
                cacheWriteCost.add(o.cacheWriteCost), outputCost.add(o.outputCost), reasoningCost.add(o.reasoningCost),
                feesCost.add(o.feesCost), totalCost.add(o.totalCost), retryCost.add(o.retryCost));
    }

    /** Tokens of class {@code k} ({@link #TOKEN_CLASSES}); output excludes reasoning, which is its own class. */
    public long tokens(int k) {
        return switch (k) {
            case 0 -> uncachedInputTokens;
            case 1 -> cacheReadTokens;
            case 2 -> cacheWriteTokens;
            case 3 -> outputTokens - reasoningTokens;
            case 4 -> reasoningTokens;
            default -> throw new IndexOutOfBoundsException(k);
        };
    }

    /** Cost of token class {@code k}. */
    public BigDecimal cost(int k) {
        return switch (k) {
            case 0 -> uncachedInputCost;
            case 1 -> cacheReadCost;
            case 2 -> cacheWriteCost;
            case 3 -> outputCost;
            case 4 -> reasoningCost;
            default -> throw new IndexOutOfBoundsException(k);
        };
    }

    /** Requests that found a price (an unpriced request costs nothing). */
    public long pricedRequests() {
        return requests - unpricedRequests;
    }

    public double costPerRequest() {
        return requests == 0 ? 0 : totalCost.doubleValue() / requests;
    }

    public double retryShare() {
        return requests == 0 ? 0 : (double) retries / requests;
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) failures / requests;
    }

    public double cacheReadShare() {
        return inputTokens == 0 ? 0 : (double) cacheReadTokens / inputTokens;
    }

    public double inputTokensPerRequest() {
        return requests == 0 ? 0 : (double) inputTokens / requests;
    }

    public double outputTokensPerRequest() {
        return requests == 0 ? 0 : (double) outputTokens / requests;
    }
}
