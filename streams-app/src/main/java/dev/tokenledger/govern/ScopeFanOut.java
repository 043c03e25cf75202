package dev.tokenledger.govern;

import dev.tokenledger.aggregate.RollupKeys;
import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.avro.GovernBundle;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.money.Money;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;

/**
 * Every budget scope spend counts against: its attributed team and feature, its customer,
 * environment and workload when the calls name them, and the global scope. Batch calls and retries
 * are calls like any other: each one is counted. Agent runs are not budget scopes: each call of a
 * run goes to its run's ceiling on its own ({@link #agentRunCall}).
 */
public final class ScopeFanOut {

    private ScopeFanOut() {
    }

    /** The scopes of spend with these dimensions ({@link RollupKeys#dimensions}) and workload. */
    public static List<Scope> scopes(String dimensions, String workload) {
        return scopes(RollupKeys.split(dimensions), workload);
    }

    private static List<Scope> scopes(String[] d, String workload) {
        List<Scope> scopes = new ArrayList<>(6);
        scopes.add(new Scope(Scope.TEAM, d[0]));
        scopes.add(new Scope(Scope.FEATURE, d[1]));
        addIfPresent(scopes, Scope.CUSTOMER, d[2]);
        addIfPresent(scopes, Scope.ENVIRONMENT, d[3]);
        addIfPresent(scopes, Scope.WORKLOAD, workload);
        scopes.add(Scope.global());
        return scopes;
    }

    /**
     * The spend once per partition of a topic with {@code partitions} partitions that its scopes
     * hash to, each bundle carrying the scopes of that partition and keyed by one of them: the
     * default partitioner then puts it exactly where each of its scopes' state lives, and
     * {@link org.apache.kafka.streams.KafkaStreams#queryMetadataForKey} finds a scope by its own key.
     */
    public static List<KeyValue<String, GovernBundle>> bundles(String dimensions, SpendDelta spend, int partitions) {
        String[] d = RollupKeys.split(dimensions);
        GovernSpend governed = spendOf(d, spend);
        Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
        for (Scope s : scopes(d, spend.workload())) {
            byPartition.computeIfAbsent(partitionOf(s.key(), partitions), p -> new ArrayList<>(4)).add(s.key());
        }
        List<KeyValue<String, GovernBundle>> out = new ArrayList<>(byPartition.size());
        for (List<String> group : byPartition.values()) {
            out.add(KeyValue.pair(group.get(0), new GovernBundle(group, governed)));
        }
        return out;
    }

    /** The partition the default partitioner gives a String key: murmur2 of its UTF-8 bytes. */
    public static int partitionOf(String scopeKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(scopeKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Summed spend as the budget stage counts it, named after its newest call; {@code d}: the split dimensions. */
    private static GovernSpend spendOf(String[] d, SpendDelta spend) {
        return GovernSpend.newBuilder()
                .setRequestId(spend.lastRequestId())
                .setEventTime(Instant.ofEpochMilli(spend.lastEventAtMs()))
                .setCost(spend.total())
                .setTeam(d[0])
                .setFeature(d[1])
                .setModel(d[5])
                .setOwner(spend.owner())
                .setCalls(spend.requests())
                .build();
    }

    /** The call keyed by its agent run ({@code agent_run:ID}), or null when it belongs to none. */
    public static KeyValue<String, GovernSpend> agentRunCall(PricedUsage priced) {
        String run = priced.getEvent().getAgentRunId();
        if (run == null || run.isBlank()) {
            return null;
        }
        GovernSpend call = GovernSpend.newBuilder()
                .setRequestId(priced.getEvent().getRequestId())
                .setEventTime(priced.getEvent().getTimestamp())
                .setCost(Money.ofNullable(priced.getCost().getTotal()).toBigDecimal())
                .setTeam(priced.getAttribution().getTeam())
                .setFeature(priced.getAttribution().getFeature())
                .setModel(priced.getBilledModel())
                .setOwner(priced.getAttribution().getOwner())
                .build();
        return KeyValue.pair(new Scope(Scope.AGENT_RUN, run).key(), call);
    }

    private static void addIfPresent(List<Scope> scopes, String type, String id) {
        if (id != null && !id.isBlank() && !RollupKeys.NONE.equals(id)) {
            scopes.add(new Scope(type, id));
        }
    }
}
