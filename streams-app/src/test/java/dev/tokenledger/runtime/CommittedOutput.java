package dev.tokenledger.runtime;

import dev.tokenledger.aggregate.Granularity;
import dev.tokenledger.aggregate.RollupKeys;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The verifier's view of the pipeline's output: everything committed to the priced and rollup
 * topics (read_committed, from the beginning, no consumer group), kept record by record so that a
 * request priced twice is seen as such rather than folded away.
 */
final class CommittedOutput implements AutoCloseable {

    /** The cost and request count of one rollup key. */
    private record Expected(BigDecimal cost, long requests) {
    }

    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Integer> timesPriced = new HashMap<>();
    private final Map<String, PricedUsage> firstPriced = new HashMap<>();
    private final Map<String, Rollup> latestRollup = new TreeMap<>();
    private final Map<String, Long> deadLettersByReason = new TreeMap<>();

    CommittedOutput(String bootstrapServers, Topics topics) {
        this.topics = topics;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.priced.name(), topics.rollups.name(), topics.dlq.name())) {
            consumer.partitionsFor(topic).forEach(pi -> partitions.add(new TopicPartition(pi.topic(), pi.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has been committed since the last call, waiting at most {@code timeout} for the first records. */
    void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            if (r.topic().equals(topics.priced.name())) {
                PricedUsage p = topics.priced.valueSerde().deserializer().deserialize(r.topic(), r.value());
                timesPriced.merge(r.key(), 1, Integer::sum);
                firstPriced.putIfAbsent(r.key(), p);
            } else if (r.topic().equals(topics.dlq.name())) {
                deadLettersByReason.merge(topics.dlq.valueSerde().deserializer().deserialize(r.topic(), r.value()).getReason(), 1L, Long::sum);
            } else {
                latestRollup.put(r.key(), topics.rollups.valueSerde().deserializer().deserialize(r.topic(), r.value()));
            }
        }
    }

    /** Distinct request ids priced so far. */
    int distinctPriced() {
        return timesPriced.size();
    }

    /** Committed dead letters by reason. */
    Map<String, Long> deadLettersByReason() {
        return deadLettersByReason;
    }

    long deadLetters() {
        return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rollup keys seen so far. */
    int rollupKeys() {
        return latestRollup.size();
    }

    /**
     * Everything that breaks the money invariant against the known input, one short line per kind
     * of problem with a few examples; empty when every request was priced exactly once at its
     * expected cost and the latest rollups, key by key and in total, hold exactly those costs.
     */
    List<String> invariantViolations(Map<String, BigDecimal> expectedCostById) {
        List<String> violations = new ArrayList<>();
        report(violations, "request ids priced more than once", timesPriced.entrySet().stream()
                .filter(e -> e.getValue() > 1).map(e -> e.getKey() + " x" + e.getValue()).toList());
        report(violations, "request ids never priced", expectedCostById.keySet().stream()
                .filter(id -> !firstPriced.containsKey(id)).toList());
        report(violations, "request ids priced that were never sent", firstPriced.keySet().stream()
                .filter(id -> !expectedCostById.containsKey(id)).toList());
        report(violations, "request ids priced at another cost than expected", firstPriced.entrySet().stream()
                .filter(e -> expectedCostById.containsKey(e.getKey()))
                .filter(e -> e.getValue().getCost().getTotal().compareTo(expectedCostById.get(e.getKey())) != 0)
                .map(e -> e.getKey() + " got " + e.getValue().getCost().getTotal() + " want " + expectedCostById.get(e.getKey()))
                .toList());

        BigDecimal expectedTotal = expectedCostById.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        compareTotal(violations, "sum of all priced records", pricedRecordsTotal(), expectedTotal);
        compareTotal(violations, "sum of latest hourly rollups", rollupTotal(Granularity.HOURLY), expectedTotal);
        compareTotal(violations, "sum of latest daily rollups", rollupTotal(Granularity.DAILY), expectedTotal);

        Map<String, Expected> expected = expectedRollups();
        Map<String, Expected> actual = actualRollups();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        report(violations, "rollup keys whose latest value differs from their priced events", keys.stream()
                .filter(k -> !sameRollup(expected.get(k), actual.get(k)))
                .map(k -> k + " got " + actual.get(k) + " want " + expected.get(k))
                .toList());
        return violations;
    }

    private static void report(List<String> violations, String what, List<String> offenders) {
        if (!offenders.isEmpty()) {
            violations.add(offenders.size() + " " + what + ", e.g. " + offenders.subList(0, Math.min(5, offenders.size())));
        }
    }

    private static void compareTotal(List<String> violations, String what, BigDecimal actual, BigDecimal expected) {
        if (actual.compareTo(expected) != 0) {
            violations.add(what + " is " + actual.toPlainString() + ", want " + expected.toPlainString()
                    + " (off by " + actual.subtract(expected).toPlainString() + ")");
        }
    }

    private static boolean sameRollup(Expected a, Expected b) {
        return a != null && b != null && a.cost().compareTo(b.cost()) == 0 && a.requests() == b.requests();
    }

    /** Sum of the cost of every priced record read, duplicates included: a double would show here. */
    private BigDecimal pricedRecordsTotal() {
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, PricedUsage> e : firstPriced.entrySet()) {
            total = total.add(e.getValue().getCost().getTotal().multiply(BigDecimal.valueOf(timesPriced.get(e.getKey()))));
        }
        return total;
    }

    /** Sum over the latest rollup of every key of one granularity. */
    private BigDecimal rollupTotal(Granularity g) {
        return latestRollup.entrySet().stream()
                .filter(e -> e.getKey().startsWith(g.label() + "|"))
                .map(e -> e.getValue().getCost().getTotal())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** What each rollup key must hold, grouped here from the distinct priced events. */
    private Map<String, Expected> expectedRollups() {
        Map<String, Expected> expected = new TreeMap<>();
        for (PricedUsage p : firstPriced.values()) {
            long t = p.getEvent().getTimestamp().toEpochMilli();
            String dims = RollupKeys.dimensions(p);
            for (Granularity g : Granularity.values()) {
                expected.merge(RollupKeys.rollupKey(g, g.windowStart(t), dims), new Expected(p.getCost().getTotal(), 1),
                        (a, b) -> new Expected(a.cost().add(b.cost()), a.requests() + b.requests()));
            }
        }
        return expected;
    }

    private Map<String, Expected> actualRollups() {
        Map<String, Expected> actual = new TreeMap<>();
        latestRollup.forEach((k, r) -> actual.put(k, new Expected(r.getCost().getTotal(), r.getRequests())));
        return actual;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
