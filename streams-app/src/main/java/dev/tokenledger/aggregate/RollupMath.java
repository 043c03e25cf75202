package dev.tokenledger.aggregate;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;

/** Folds spend (one call or a sum of calls) into rollups with exact decimal sums: the rollup total is the sum of its events. */
public final class RollupMath {

    private static final BigDecimal ZERO = Money.ZERO.toBigDecimal();

    private RollupMath() {
    }

    public static CostBreakdown zeroCost() {
        return new CostBreakdown(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO);
    }

    public static Rollup empty(Granularity g, long windowStartMs, String dimensions) {
        String[] d = RollupKeys.split(dimensions);
        return Rollup.newBuilder()
                .setGranularity(g.label())
                .setWindowStart(Instant.ofEpochMilli(windowStartMs))
                .setWindowEnd(Instant.ofEpochMilli(windowStartMs + g.sizeMs()))
                .setTeam(d[0]).setFeature(d[1]).setCustomerId(d[2]).setEnvironment(d[3])
                .setProvider(d[4]).setModel(d[5])
                .setCost(zeroCost())
                .setRetryCostUsd(ZERO)
                .setProviderReportedCostUsd(ZERO)
                .setLastEventAt(Instant.ofEpochMilli(windowStartMs))
                .build();
    }

    /** Adds {@code d} (one call or a sum of calls in this window) to {@code r} in place and returns it. */
    public static Rollup add(Rollup r, SpendDelta d) {
        r.setRequests(r.getRequests() + d.requests());
        r.setSuccesses(r.getSuccesses() + d.successes());
        r.setFailures(r.getFailures() + d.failures());
        r.setRetries(r.getRetries() + d.retries());
        r.setRetryCostUsd(r.getRetryCostUsd().add(d.retryCost()));
        r.setUnpricedRequests(r.getUnpricedRequests() + d.unpricedRequests());
        r.setInputTokens(r.getInputTokens() + d.inputTokens());
        r.setUncachedInputTokens(r.getUncachedInputTokens() + d.uncachedInputTokens());
        r.setCacheReadInputTokens(r.getCacheReadInputTokens() + d.cacheReadInputTokens());
        r.setCacheCreationInputTokens(r.getCacheCreationInputTokens() + d.cacheCreationInputTokens());
        r.setOutputTokens(r.getOutputTokens() + d.outputTokens());
        r.setReasoningOutputTokens(r.getReasoningOutputTokens() + d.reasoningOutputTokens());
        r.setCost(plus(r.getCost(), d.cost()));
        r.setProviderReportedCostUsd(r.getProviderReportedCostUsd().add(d.providerReportedCost()));
        r.setProviderReportedRequests(r.getProviderReportedRequests() + d.providerReportedRequests());
        if (d.lastEventAtMs() > r.getLastEventAt().toEpochMilli()) {
            r.setLastEventAt(Instant.ofEpochMilli(d.lastEventAtMs()));
        }
        return r;
    }

    public static CostBreakdown plus(CostBreakdown a, CostBreakdown b) {
        return new CostBreakdown(
                a.getUncachedInput().add(b.getUncachedInput()),
                a.getCacheRead().add(b.getCacheRead()),
                a.getCacheWrite().add(b.getCacheWrite()),
                a.getOutput().add(b.getOutput()),
                a.getReasoning().add(b.getReasoning()),
                a.getFees().add(b.getFees()),
                a.getTotal().add(b.getTotal()));
    }
}
