package dev.tokenledger.govern;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.GovernBundle;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.Money;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
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

    /**
     * The call once per partition of a topic with {@code partitions} partitions that its scopes
     * hash to, each bundle carrying the scopes of that partition and keyed by one of them: the
     * default partitioner then puts it exactly where each of its scopes' state lives, and
     * {@link org.apache.kafka.streams.KafkaStreams#queryMetadataForKey} finds a scope by its own key.
     */
    public static List<KeyValue<String, GovernBundle>> bundles(PricedUsage priced, int partitions) {
        GovernSpend spend = spendOf(priced);
        Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
        for (Scope s : scopes(priced)) {
            byPartition.computeIfAbsent(partitionOf(s.key(), partitions), p -> new ArrayList<>(4)).add(s.key());
        }
        List<KeyValue<String, GovernBundle>> out = new ArrayList<>(byPartition.size());
        for (List<String> group : byPartition.values()) {
            out.add(KeyValue.pair(group.get(0), new GovernBundle(group, spend)));
        }
        return out;
    }

    /** The partition the default partitioner gives a String key: murmur2 of its UTF-8 bytes. */
    public static int partitionOf(String scopeKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(scopeKey.getBytes(StandardCharsets.UTF_8))) % partitions;
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
