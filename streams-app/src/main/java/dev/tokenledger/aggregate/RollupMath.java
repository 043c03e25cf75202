package dev.tokenledger.aggregate;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;

/** Folds priced events into rollups with exact decimal sums: the rollup total is the sum of its events. */
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

    /** Adds one priced event to {@code r} in place and returns it. */
    public static Rollup add(Rollup r, PricedUsage p) {
        UsageEvent e = p.getEvent();
        CostBreakdown c = p.getCost();
        r.setRequests(r.getRequests() + 1);
        if ("success".equals(e.getStatus())) {
            r.setSuccesses(r.getSuccesses() + 1);
        } else {
            r.setFailures(r.getFailures() + 1);
        }
        boolean retry = e.getAttempt() > 1 || e.getRetryOf() != null;
        if (retry) {
            r.setRetries(r.getRetries() + 1);
            r.setRetryCostUsd(r.getRetryCostUsd().add(c.getTotal()));
        }
        if (p.getPrice() == null) {
            r.setUnpricedRequests(r.getUnpricedRequests() + 1);
        }
        long cacheRead = e.getCacheReadInputTokens();
        long cacheWrite = e.getCacheCreationInputTokens();
        r.setInputTokens(r.getInputTokens() + e.getInputTokens());
        r.setUncachedInputTokens(r.getUncachedInputTokens() + (e.getInputTokens() - cacheRead - cacheWrite));
        r.setCacheReadInputTokens(r.getCacheReadInputTokens() + cacheRead);
        r.setCacheCreationInputTokens(r.getCacheCreationInputTokens() + cacheWrite);
        r.setOutputTokens(r.getOutputTokens() + e.getOutputTokens());
        r.setReasoningOutputTokens(r.getReasoningOutputTokens() + e.getReasoningOutputTokens());
        r.setCost(plus(r.getCost(), c));
        if (e.getProviderReportedCostUsd() != null) {
            r.setProviderReportedCostUsd(r.getProviderReportedCostUsd().add(e.getProviderReportedCostUsd()));
            r.setProviderReportedRequests(r.getProviderReportedRequests() + 1);
        }
        if (e.getTimestamp().isAfter(r.getLastEventAt())) {
            r.setLastEventAt(e.getTimestamp());
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
