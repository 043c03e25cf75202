package dev.tokenledger.govern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.avro.SpendContributor;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Function;

/**
 * The JSON the budget endpoints answer with, computed from a scope's state and its budgets by the
 * same rules that decide what the gateway is told. Amounts are decimal strings, never numbers, so
 * no client parses money into a double.
 */
public final class BudgetView {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SpendLedger ledger;

    public BudgetView(GovernSettings settings) {
        this.ledger = new SpendLedger(settings);
    }

    /** One scope: every period it has spend or a budget in, as it stands at {@code now}. */
    public ObjectNode scope(Scope scope, ScopeState state, Function<Period, Budget> budgets, long now) {
        ObjectNode out = JSON.objectNode();
        out.put("scope_type", scope.type());
        out.put("scope_id", scope.id());
        ArrayNode periods = out.putArray("periods");
        for (Period period : Period.values()) {
            PeriodSpend spend = state == null ? null : SpendLedger.get(state, period);
            Budget budget = budgets.apply(period);
            if (spend == null && budget == null) {
                continue;
            }
            periods.add(budget == null ? unbudgeted(period, spend, scope, now) : budgeted(period, state, budget, scope, now));
        }
        return out;
    }

    /** One budget's line in {@code GET /budgets}. */
    public ObjectNode budgeted(Period period, ScopeState state, Budget budget, Scope scope, long now) {
        PeriodSpend spend = state == null ? null : SpendLedger.get(state, period);
        BudgetPosition position = ledger.current(state, period, budget, now);
        boolean current = spend != null && SpendLedger.isCurrent(period, spend, now);
        BudgetStatus status = position.toStatus(current ? spend.getLastEventAt().toEpochMilli() : null, now);
        ObjectNode o = JSON.objectNode();
        o.put("scope_type", status.getScopeType());
        o.put("scope_id", status.getScopeId());
        o.put("period", status.getPeriod());
        o.put("period_start", status.getPeriodStart().toString());
        o.put("period_end", status.getPeriodEnd().toString());
        o.put("spend", status.getSpend().toPlainString());
        o.put("budget", status.getBudget().toPlainString());
        o.put("soft_threshold", status.getSoftThreshold().toPlainString());
        o.put("hard_threshold", status.getHardThreshold().toPlainString());
        putDecimal(o, "percent", status.getPercent());
        o.put("state", status.getState());
        o.put("action", status.getAction());
        putDecimal(o, "projection", status.getProjection());
        o.put("owner", status.getOwner());
        addDetail(o, scope, current ? spend : null);
        return o;
    }

    private ObjectNode unbudgeted(Period period, PeriodSpend spend, Scope scope, long now) {
        boolean current = SpendLedger.isCurrent(period, spend, now);
        ObjectNode o = JSON.objectNode();
        o.put("scope_type", scope.type());
        o.put("scope_id", scope.id());
        o.put("period", period.id());
        long start = current ? spend.getPeriodStart().toEpochMilli() : period.start(now);
        o.put("period_start", Instant.ofEpochMilli(start).toString());
        o.put("period_end", Instant.ofEpochMilli(period.end(start)).toString());
        o.put("spend", current ? spend.getSpend().toPlainString() : "0.000000000000");
        o.putNull("budget");
        o.put("state", "unbudgeted");
        o.put("action", BudgetPosition.NO_ACTION);
        addDetail(o, scope, current ? spend : null);
        return o;
    }

    private static void addDetail(ObjectNode o, Scope scope, PeriodSpend spend) {
        o.put("events", spend == null ? 0 : spend.getEvents());
        if (spend != null && spend.getEvents() > 0) {
            o.put("last_event_at", spend.getLastEventAt().toString());
        } else {
            o.putNull("last_event_at");
        }
        ArrayNode raised = o.putArray("alerts_raised");
        if (spend != null) {
            spend.getRaised().forEach(raised::add);
        }
        o.put("contributor_dimension", Contributors.dimension(scope.type()));
        ArrayNode top = o.putArray("top_contributors");
        if (spend != null) {
            for (SpendContributor c : Contributors.top(spend.getContributors(), Alerts.TOP_CONTRIBUTORS)) {
                top.addObject().put("name", c.getName()).put("spend", c.getSpend().toPlainString());
            }
        }
    }

    private static void putDecimal(ObjectNode o, String field, BigDecimal value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value.toPlainString());
        }
    }
}
