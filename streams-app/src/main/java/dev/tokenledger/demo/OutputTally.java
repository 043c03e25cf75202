package dev.tokenledger.demo;

import dev.tokenledger.avro.DeadLetter;
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
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the pipeline's committed output (priced events, rollups, dead letters) and keeps the
 * totals a person wants to see: spend by team and feature, attribution coverage, unpriced and DLQ
 * counts, and whether the rollups tie out with the priced events to the last digit. Used for the
 * demo's live progress and final summary, the benchmark, and integration tests.
 */
public final class OutputTally implements AutoCloseable {

    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** False for the benchmark: priced events are counted, not decoded, so reading them costs the pipeline little CPU. */
    private final boolean pricedDetail;

    private long priced;
    private long unpriced;
    private BigDecimal pricedTotal = BigDecimal.ZERO;
    private BigDecimal attributedTotal = BigDecimal.ZERO;
    private final Map<String, BigDecimal> byTeam = new TreeMap<>();
    private final Map<String, BigDecimal> byFeature = new TreeMap<>();
    private final Map<String, Long> dlqByReason = new TreeMap<>();
    private long deadLettered;
    /** The stage name task outcomes are dead-lettered under (the task stage's validation). */
    private static final String TASK_STAGE = "task";
    private long outcomesDeadLettered;
    private long taskCallsPriced;
    private final Map<String, BigDecimal> latestRollupTotal = new HashMap<>();
    /** The sums of {@link #latestRollupTotal} per granularity, kept as rollups replace each other. */
    private BigDecimal hourlyTotal = BigDecimal.ZERO;
    private BigDecimal dailyTotal = BigDecimal.ZERO;
    private final Map<String, Long> rollupLastEventMs = new HashMap<>();
    private long lastRollupSeenAtMs;

    public OutputTally(String bootstrapServers, Topics topics) {
        this(bootstrapServers, topics, true);
    }

    /**
     * @param pricedDetail whether to decode priced events into the totals by team and feature; when
     *        false only their count is kept (spend totals then stay zero)
     */
    public OutputTally(String bootstrapServers, Topics topics, boolean pricedDetail) {
        this(UsageProducer.bootstrapOnly(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics, pricedDetail);
    }

    /** A tally reading with {@code client}: bootstrap servers and any security settings. */
    public OutputTally(Properties client, Topics topics, boolean pricedDetail) {
        this.topics = topics;
        this.pricedDetail = pricedDetail;
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        // No consumer group: read every partition from the beginning, so each tally sees all output.
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.priced.name(), topics.rollups.name(), topics.dlq.name())) {
            consumer.partitionsFor(topic).forEach(pi -> partitions.add(new TopicPartition(pi.topic(), pi.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has arrived, waiting at most {@code timeout}; returns how many records were read. */
    public synchronized int poll(Duration timeout) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            n++;
            if (r.topic().equals(topics.priced.name())) {
                if (pricedDetail) {
                    onPriced(topics.priced.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                } else {
                    priced++;
                }
            } else if (r.topic().equals(topics.rollups.name())) {
                Rollup rollup = topics.rollups.valueSerde().deserializer().deserialize(r.topic(), r.value());
                BigDecimal total = rollup.getCost().getTotal();
                BigDecimal previous = latestRollupTotal.put(r.key(), total);
                BigDecimal change = previous == null ? total : total.subtract(previous);
                if (r.key().startsWith("hourly|")) {
                    hourlyTotal = hourlyTotal.add(change);
                } else if (r.key().startsWith("daily|")) {
                    dailyTotal = dailyTotal.add(change);
                }
                rollupLastEventMs.put(r.key(), rollup.getLastEventAt().toEpochMilli());
                lastRollupSeenAtMs = System.currentTimeMillis();
            } else {
                DeadLetter dl = topics.dlq.valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (TASK_STAGE.equals(dl.getStage())) {
                    // A rejected task outcome is not a usage event: kept out of read = priced + DLQ + duplicates.
                    outcomesDeadLettered++;
                } else {
                    dlqByReason.merge(dl.getReason(), 1L, Long::sum);
                    deadLettered++;
                }
            }
        }
        return n;
    }

    /**
     * Usage events priced or dead-lettered so far: what a producer loop asks after every record, so it is two
     * fields, where a {@link #snapshot} copies the totals by team, feature and reason.
     */
    public synchronized long pricedOrDeadLettered() {
        return priced + deadLettered;
    }

    /** Task outcomes the task stage dead-lettered (not counted among the usage events' dead letters). */
    public long outcomesDeadLettered() {
        return outcomesDeadLettered;
    }

    /** Priced calls that carry a task_id: what the task stage's ledger must have read before the input is closed. */
    public long taskCallsPriced() {
        return taskCallsPriced;
    }

    private void onPriced(PricedUsage p) {
        priced++;
        String taskId = p.getEvent().getTaskId();
        if (taskId != null && !taskId.isBlank()) {
            taskCallsPriced++;
        }
        BigDecimal cost = p.getCost().getTotal();
        if (p.getPrice() == null) {
            unpriced++;
        }
        pricedTotal = pricedTotal.add(cost);
        if (!"default".equals(p.getAttribution().getMethod())) {
            attributedTotal = attributedTotal.add(cost);
        }
        byTeam.merge(p.getAttribution().getTeam(), cost, BigDecimal::add);
        byFeature.merge(p.getAttribution().getFeature(), cost, BigDecimal::add);
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(priced, unpriced, deadLettered, new TreeMap<>(dlqByReason), pricedTotal, attributedTotal,
                new TreeMap<>(byTeam), new TreeMap<>(byFeature), hourlyTotal, dailyTotal, latestRollupTotal.size(), lastRollupSeenAtMs);
    }

    /** The latest rollup keys with their last event time; for latency measurement. */
    public synchronized Map<String, Long> rollupLastEventTimes() {
        return new HashMap<>(rollupLastEventMs);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Totals at one moment. Amounts are exact decimals. */
    public record Snapshot(long priced, long unpriced, long deadLettered, Map<String, Long> deadLetteredByReason,
                           BigDecimal pricedTotal, BigDecimal attributedTotal,
                           Map<String, BigDecimal> costByTeam, Map<String, BigDecimal> costByFeature,
                           BigDecimal hourlyRollupTotal, BigDecimal dailyRollupTotal, int rollupKeys,
                           long lastRollupSeenAtMs) {

        /** Attributed cost over total cost; 1 when there is no cost yet. */
        public BigDecimal attributionCoverage() {
            if (pricedTotal.signum() == 0) return BigDecimal.ONE;
            return attributedTotal.divide(pricedTotal, 6, java.math.RoundingMode.HALF_EVEN);
        }

        /** True when both rollup granularities sum exactly to the priced events. */
        public boolean tiesOut() {
            return hourlyRollupTotal.compareTo(pricedTotal) == 0 && dailyRollupTotal.compareTo(pricedTotal) == 0;
        }
    }
}
