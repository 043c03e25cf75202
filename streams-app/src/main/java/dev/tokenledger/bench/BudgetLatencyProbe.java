package dev.tokenledger.bench;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.govern.AlertKind;
import dev.tokenledger.govern.BudgetCsv;
import dev.tokenledger.govern.BudgetState;
import dev.tokenledger.govern.Period;
import dev.tokenledger.govern.Scope;
import dev.tokenledger.money.Money;
import dev.tokenledger.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;

/**
 * Measures budget enforcement latency for the benchmark: from producing the call that crosses a
 * hard threshold to the hard alert and the hard status being readable (read_committed) by a
 * consumer, i.e. by an alerting system and a gateway.
 *
 * <p>Each probe is a customer scope of its own with a zero budget (hard at 100%), so its first
 * call, whatever it costs, crosses the hard threshold. A reader thread timestamps the outputs as
 * they become readable, independent of how the load generator paces itself.
 */
public final class BudgetLatencyProbe implements AutoCloseable {

    public static final String PREFIX = "bench-probe-";

    private final Topics topics;
    private final int probes;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> alertAt = new ConcurrentHashMap<>();
    private final Map<String, Long> statusAt = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread reader;
    private int next;

    /** Latency percentiles in milliseconds; -1 when there was no sample. */
    public record Summary(int probes, int answered, long alertP50, long alertP99, long statusP50, long statusP99,
                          long bothP50, long bothP99) {
    }

    public BudgetLatencyProbe(String bootstrapServers, Topics topics, int probes) {
        this.topics = topics;
        this.probes = probes;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.budgetAlerts.name(), topics.budgetStatus.name())) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "budget-latency-probe");
        reader.setDaemon(true);
        reader.start();
    }

    /** The probes' budgets, to publish on llm.budgets.v1 before the load starts. */
    public List<KeyValue<String, Budget>> budgets() {
        List<KeyValue<String, Budget>> out = new ArrayList<>(probes);
        for (int i = 0; i < probes; i++) {
            Budget b = Budget.newBuilder()
                    .setScopeType(Scope.CUSTOMER)
                    .setScopeId(PREFIX + i)
                    .setPeriod(Period.MONTHLY.id())
                    .setAmountUsd(Money.ZERO.toBigDecimal())
                    .setSoftPct(100)
                    .setHardPct(100)
                    .setAction("block")
                    .setOwner("bench@tokenledger.dev")
                    .setUpdatedAt(Instant.now())
                    .build();
            out.add(KeyValue.pair(BudgetCsv.recordKey(b), b));
        }
        return out;
    }

    public boolean hasMore() {
        return next < probes;
    }

    /**
     * Turns {@code call} into the next probe, stamped now; send it at once.
     */
    public UsageEvent probe(UsageEvent call) {
        String customer = PREFIX + next++;
        long now = System.currentTimeMillis();
        call.setCustomerId(customer);
        call.setRequestId(customer + "-call");
        call.setTimestamp(Instant.ofEpochMilli(now));
        sentAt.put(probeKey(customer), now);
        return call;
    }

    /** True once every probe sent so far has been answered, or {@code timeout} passed. */
    public boolean awaitAnswers(Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (sentAt.keySet().stream().allMatch(k -> alertAt.containsKey(k) && statusAt.containsKey(k))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public Summary summary() {
        List<Long> alerts = new ArrayList<>();
        List<Long> statuses = new ArrayList<>();
        List<Long> both = new ArrayList<>();
        sentAt.forEach((key, sent) -> {
            Long alert = alertAt.get(key);
            Long status = statusAt.get(key);
            if (alert != null) {
                alerts.add(alert - sent);
            }
            if (status != null) {
                statuses.add(status - sent);
            }
            if (alert != null && status != null) {
                both.add(Math.max(alert, status) - sent);
            }
        });
        return new Summary(sentAt.size(), both.size(), Percentiles.nearestRank(alerts, 0.50), Percentiles.nearestRank(alerts, 0.99),
                Percentiles.nearestRank(statuses, 0.50), Percentiles.nearestRank(statuses, 0.99), Percentiles.nearestRank(both, 0.50), Percentiles.nearestRank(both, 0.99));
    }

    private void read() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                if (r.key() == null || !r.key().startsWith(Scope.CUSTOMER + ":" + PREFIX) || r.value() == null) {
                    continue;
                }
                long now = System.currentTimeMillis();
                if (r.topic().equals(topics.budgetAlerts.name())) {
                    BudgetAlert alert = topics.budgetAlerts.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (AlertKind.HARD.id().equals(alert.getKind())) {
                        alertAt.putIfAbsent(r.key(), now);
                    }
                } else {
                    BudgetStatus status = topics.budgetStatus.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (BudgetState.HARD.id().equals(status.getState())) {
                        // Status keys carry the period start too; match them to the probe by budget.
                        statusAt.putIfAbsent(status.getScopeType() + ":" + status.getScopeId() + ":" + status.getPeriod(), now);
                    }
                }
            }
        }
    }

    private static String probeKey(String customer) {
        return Scope.CUSTOMER + ":" + customer + ":" + Period.MONTHLY.id();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        reader.join(5_000);
        consumer.close();
    }
}
