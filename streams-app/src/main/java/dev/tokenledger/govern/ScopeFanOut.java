package dev.tokenledger.govern;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * Every scope one priced call counts against: its attributed team and feature, its customer,
 * environment and workload when the event names them, the global scope, and its agent run.
 * Batch calls and retries are calls like any other: each one is counted.
 */
public final class ScopeFanOut {

    private ScopeFanOut() {
    }

    public static List<Scope> scopes(PricedUsage priced) {
        UsageEvent e = priced.getEvent();
        Attribution a = priced.getAttribution();
        List<Scope> scopes = new ArrayList<>(7);
        scopes.add(new Scope(Scope.TEAM, a.getTeam()));
        scopes.add(new Scope(Scope.FEATURE, a.getFeature()));
        addIfPresent(scopes, Scope.CUSTOMER, e.getCustomerId());
        addIfPresent(scopes, Scope.ENVIRONMENT, e.getEnvironment());
        addIfPresent(scopes, Scope.WORKLOAD, e.getWorkload());
        scopes.add(Scope.global());
        addIfPresent(scopes, Scope.AGENT_RUN, e.getAgentRunId());
        return scopes;
    }

    /** The call reduced to what governance needs, keyed once per scope. */
    public static List<KeyValue<String, GovernSpend>> fanOut(PricedUsage priced) {
        GovernSpend spend = spendOf(priced);
        List<Scope> scopes = scopes(priced);
        List<KeyValue<String, GovernSpend>> out = new ArrayList<>(scopes.size());
        for (Scope s : scopes) {
            out.add(KeyValue.pair(s.key(), spend));
        }
        return out;
    }

    public static GovernSpend spendOf(PricedUsage priced) {
        return GovernSpend.newBuilder()
                .setRequestId(priced.getEvent().getRequestId())
                .setEventTime(priced.getEvent().getTimestamp())
                .setCost(Money.ofNullable(priced.getCost().getTotal()).toBigDecimal())
                .setTeam(priced.getAttribution().getTeam())
                .setFeature(priced.getAttribution().getFeature())
                .setModel(priced.getBilledModel())
                .setOwner(priced.getAttribution().getOwner())
                .build();
    }

    private static void addIfPresent(List<Scope> scopes, String type, String id) {
        if (id != null && !id.isBlank()) {
            scopes.add(new Scope(type, id));
        }
    }
}
