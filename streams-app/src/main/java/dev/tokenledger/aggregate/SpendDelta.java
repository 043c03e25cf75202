package dev.tokenledger.aggregate;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;

/**
 * What the aggregates need of one priced call, or the sum of several calls with the same dimensions,
 * hour and workload: counts, tokens and exact cost per class. It is the one internal record of the
 * per-event path after pricing: the dimension-keyed repartition carries one per call (about a fifth
 * of the bytes of the priced record), the rollup stage sums them per hour before it touches its
 * window stores, and the budget stage is fed those sums, never single calls.
 *
 * <p>{@code lastRequestId} and {@code lastEventAtMs} name the newest call in the sum (by event time):
 * the call an alert raised by this spend points to. {@code owner} is that call's attributed owner.
 */
public record SpendDelta(
        long requests, long successes, long failures, long retries, long unpricedRequests,
        long inputTokens, long uncachedInputTokens, long cacheReadInputTokens, long cacheCreationInputTokens,
        long outputTokens, long reasoningOutputTokens,
        CostBreakdown cost, BigDecimal retryCost, BigDecimal providerReportedCost, long providerReportedRequests,
        long lastEventAtMs, String lastRequestId, String workload, String owner) {

    private static final BigDecimal ZERO = Money.ZERO.toBigDecimal();

    /** One call. Unpriced calls count with zero cost, as in the rollups. */
    public static SpendDelta of(PricedUsage p) {
        UsageEvent e = p.getEvent();
        boolean success = "success".equals(e.getStatus());
        boolean retry = e.getAttempt() > 1 || e.getRetryOf() != null;
        long cacheRead = e.getCacheReadInputTokens();
        long cacheWrite = e.getCacheCreationInputTokens();
        CostBreakdown c = p.getCost();
        BigDecimal reported = e.getProviderReportedCostUsd();
        return new SpendDelta(1, success ? 1 : 0, success ? 0 : 1, retry ? 1 : 0, p.getPrice() == null ? 1 : 0,
                e.getInputTokens(), e.getInputTokens() - cacheRead - cacheWrite, cacheRead, cacheWrite,
                e.getOutputTokens(), e.getReasoningOutputTokens(),
                c, retry ? c.getTotal() : ZERO, reported == null ? ZERO : reported, reported == null ? 0 : 1,
                e.getTimestamp().toEpochMilli(), e.getRequestId(), blankToNull(e.getWorkload()), p.getAttribution().getOwner());
    }

    /** The sum of both; the newest call (later event time, then the other's on a tie) names the result. */
    public SpendDelta plus(SpendDelta o) {
        SpendDelta newest = o.lastEventAtMs >= lastEventAtMs ? o : this;
        return new SpendDelta(requests + o.requests, successes + o.successes, failures + o.failures,
                retries + o.retries, unpricedRequests + o.unpricedRequests,
                inputTokens + o.inputTokens, uncachedInputTokens + o.uncachedInputTokens,
                cacheReadInputTokens + o.cacheReadInputTokens, cacheCreationInputTokens + o.cacheCreationInputTokens,
                outputTokens + o.outputTokens, reasoningOutputTokens + o.reasoningOutputTokens,
                RollupMath.plus(cost, o.cost), retryCost.add(o.retryCost), providerReportedCost.add(o.providerReportedCost),
                providerReportedRequests + o.providerReportedRequests,
                newest.lastEventAtMs, newest.lastRequestId, newest.workload, newest.owner);
    }

    public BigDecimal total() {
        return cost.getTotal();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
