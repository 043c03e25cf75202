package dev.tokenledger.govern;

import dev.tokenledger.avro.AgentRunState;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.SpendContributor;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the records on llm.alerts.budget.v1. Alert ids are deterministic, so a replayed alert is the same row downstream. */
public final class Alerts {

    public static final int TOP_CONTRIBUTORS = dev.tokenledger.config.ConfigRegistry.ALERT_TOP_CONTRIBUTORS;

    private Alerts() {
    }

    /** A soft, hard or forecast breach of {@code position} in {@code spend}'s period. */
    public static BudgetAlert budget(AlertKind kind, BudgetPosition position, PeriodSpend spend, String scopeType,
                                     String requestId, long eventTime, long raisedAt) {
        BigDecimal threshold = switch (kind) {
            case SOFT -> position.softThreshold();
            case HARD -> position.hardThreshold();
            default -> position.amount();
        };
        int pct = switch (kind) {
            case SOFT -> position.budget().getSoftPct();
            case HARD -> position.budget().getHardPct();
            default -> 100;
        };
        String action = kind == AlertKind.HARD ? position.budget().getAction() : BudgetPosition.ALERT;
        String dimension = Contributors.dimension(scopeType);
        List<SpendContributor> top = Contributors.top(spend.getContributors(), TOP_CONTRIBUTORS);
        String budgetKey = BudgetPosition.budgetKey(position.budget());
        String periodDay = BudgetPosition.periodDay(Instant.ofEpochMilli(position.periodStart()));
        return BudgetAlert.newBuilder()
                .setAlertId(budgetKey + ":" + periodDay + ":" + kind.id() + ":" + threshold.stripTrailingZeros().toPlainString())
                .setKind(kind.id())
                .setScopeType(position.budget().getScopeType())
                .setScopeId(position.budget().getScopeId())
                .setPeriod(position.period().id())
                .setPeriodStart(Instant.ofEpochMilli(position.periodStart()))
                .setSpend(position.spend())
                .setBudget(position.amount())
                .setThreshold(threshold)
                .setThresholdPct(pct)
                .setPercent(position.percent())
                .setProjection(position.projection())
                .setAction(action)
                .setOwner(position.budget().getOwner())
                .setContributorDimension(dimension)
                .setTopContributors(top)
                .setRequestId(requestId)
                .setSummary(budgetSummary(kind, position, pct, action, dimension, top))
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setRaisedAt(Instant.ofEpochMilli(raisedAt))
                .build();
    }

    /** One call cost more than its feature's per-request ceiling. */
    public static BudgetAlert requestCeiling(PricedUsage call, CeilingLimits limits, long raisedAt) {
        BigDecimal cost = Money.ofNullable(call.getCost().getTotal()).toBigDecimal();
        String feature = call.getAttribution().getFeature();
        String requestId = call.getEvent().getRequestId();
        return BudgetAlert.newBuilder()
                .setAlertId(AlertKind.REQUEST_CEILING.id() + ":" + requestId)
                .setKind(AlertKind.REQUEST_CEILING.id())
                .setScopeType("request")
                .setScopeId(requestId)
                .setSpend(cost)
                .setThreshold(limits.requestUsd())
                .setAction(limits.action())
                .setOwner(call.getAttribution().getOwner())
                .setContributorDimension("model")
                .setTopContributors(List.of(new SpendContributor(call.getBilledModel(), cost)))
                .setRequestId(requestId)
                .setAgentRunId(call.getEvent().getAgentRunId())
                .setFeature(feature)
                .setSummary("request " + requestId + " (feature " + feature + ", model " + call.getBilledModel() + ") cost "
                        + usd(cost) + " USD, above the per-request ceiling of " + usd(limits.requestUsd())
                        + " USD; action " + limits.action())
                .setEventTime(call.getEvent().getTimestamp())
                .setRaisedAt(Instant.ofEpochMilli(raisedAt))
                .build();
    }

    /** An agent run's session cost more than its ceiling, or made more calls than allowed. */
    public static BudgetAlert agentRunCeiling(AgentRunState run, CeilingLimits limits, String requestId, long eventTime,
                                              long raisedAt) {
        boolean overCost = limits.agentRunUsd() != null && run.getCost().compareTo(limits.agentRunUsd()) > 0;
        String why = overCost
                ? "cost " + usd(run.getCost()) + " USD, above the ceiling of " + usd(limits.agentRunUsd()) + " USD"
                : "made " + run.getCalls() + " calls, above the ceiling of " + limits.agentRunCalls();
        return BudgetAlert.newBuilder()
                .setAlertId(AlertKind.AGENT_RUN_CEILING.id() + ":" + run.getAgentRunId() + ":" + run.getSessionStart().toEpochMilli())
                .setKind(AlertKind.AGENT_RUN_CEILING.id())
                .setScopeType(Scope.AGENT_RUN)
                .setScopeId(run.getAgentRunId())
                .setSpend(run.getCost())
                .setThreshold(overCost ? limits.agentRunUsd() : null)
                .setAction(limits.action())
                .setOwner(run.getOwner())
                .setRequestId(requestId)
                .setAgentRunId(run.getAgentRunId())
                .setFeature(run.getFeature())
                .setCalls(run.getCalls())
                .setCallLimit(limits.agentRunCalls())
                .setSummary("agent run " + run.getAgentRunId() + " (feature " + run.getFeature() + ") " + why
                        + " since " + run.getSessionStart() + "; action " + limits.action())
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setRaisedAt(Instant.ofEpochMilli(raisedAt))
                .build();
    }

    private static String budgetSummary(AlertKind kind, BudgetPosition p, int pct, String action, String dimension,
                                        List<SpendContributor> top) {
        String scope = p.budget().getScopeType() + ":" + p.budget().getScopeId();
        String what = kind == AlertKind.FORECAST
                ? "projected to reach " + usd(p.projection()) + " USD by period end, over the budget"
                : kind.id() + " threshold (" + pct + "%) reached";
        String contributors = top.isEmpty() ? "" : "; top " + dimension + "s: "
                + top.stream().map(c -> c.getName() + " " + usd(c.getSpend())).collect(Collectors.joining(", "));
        return scope + " " + p.period().id() + " budget " + usd(p.amount()) + " USD: " + what + "; spend "
                + usd(p.spend()) + " USD" + (p.percent() == null ? "" : " (" + p.percent().toPlainString() + "%)")
                + "; action " + action + contributors;
    }

    /** Cents, for people; the record's decimal fields carry the exact amounts. */
    private static String usd(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
