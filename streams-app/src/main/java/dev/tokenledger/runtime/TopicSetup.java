package dev.tokenledger.runtime;

import dev.tokenledger.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the contract's topics if they are missing: reference data, invoice lines and the latest-state
 * outputs (budget status, task results, untasked cost) compacted.
 */
public final class TopicSetup {

    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Every contract topic stamps records with the broker's append time. Producers and the pipeline
     * write event time as the record timestamp, and a backfill's event times are weeks old: under
     * CreateTime the broker rolls tiny segments whenever timestamps jump by more than segment.ms and
     * deletes any whose newest timestamp is past retention.ms, so records of a backfill vanished
     * before a consumer read them (FaultSuiteIT found two). The event time travels in the payload.
     */
    static final String LOG_APPEND_TIME = "LogAppendTime";

    private TopicSetup() {
    }

    public static List<NewTopic> plan(Topics topics, int partitions, short replication) {
        List<NewTopic> plan = new ArrayList<>();
        Set<String> compacted = Set.copyOf(topics.compactedNames());
        List<String> all = new ArrayList<>(topics.inputNames());
        all.addAll(topics.outputNames());
        all.addAll(topics.extraOutputNames());
        for (String name : all) {
            boolean isCompacted = compacted.contains(name) || topics.compactedOutputNames().contains(name);
            NewTopic t = new NewTopic(name, isCompacted ? 1 : partitions, replication);
            t.configs(isCompacted ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME)
                    : Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME));
            plan.add(t);
        }
        return plan;
    }

    /**
     * The two usage inputs must have the same number of partitions: dedupe reads keyed Avro from
     * {@code llm.usage.v1} partition p and re-keyed JSON from the request-id repartition topic
     * partition p in one task, and Kafka Streams sizes that topic to the larger input. With
     * different counts, an Avro copy and a JSON copy of one call land in different tasks and are
     * both priced. Empty when they match (or a topic does not exist yet: Streams will say so).
     */
    public static Optional<String> coPartitioningProblem(Admin admin, Topics topics) throws InterruptedException {
        try {
            var described = admin.describeTopics(List.of(topics.usageAvro.name(), topics.usageJson.name())).allTopicNames().get();
            int avro = described.get(topics.usageAvro.name()).partitions().size();
            int json = described.get(topics.usageJson.name()).partitions().size();
            return avro == json ? Optional.empty() : Optional.of(topics.usageAvro.name() + " has " + avro
                    + " partitions and " + topics.usageJson.name() + " has " + json + "; they must be equal, or a call "
                    + "published on both could be priced twice (add partitions to the smaller, then reset)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return Optional.empty(); // Kafka Streams refuses to start without its source topics, and says which
            }
            throw new IllegalStateException("cannot describe the usage topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Creates what is missing; existing topics are left as they are. */
    public static void ensure(Admin admin, List<NewTopic> plan) {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
        List<NewTopic> missing = plan.stream().filter(t -> !existing.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        }
        awaitVisible(admin, missing.stream().map(NewTopic::name).toList());
    }

    /**
     * Waits until the broker describes every new topic with a leader for each partition: creation completes at the
     * controller, and a broker's metadata can lag it, so an immediate describe or produce may still be told the
     * topic is unknown, or that the broker is not its partition's leader.
     */
    private static void awaitVisible(Admin admin, List<String> names) {
        long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        while (true) {
            try {
                // Described is not enough: a partition without its leader yet answers a produce with
                // NOT_LEADER_OR_FOLLOWER, and an idempotent producer's pipelined retries can then loop on
                // OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (seen on a fresh single-node broker).
                boolean led = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (led) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("created topics have no leader after " + VISIBLE_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for new topics", e);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("created topics not visible: " + e.getCause().getMessage(), e.getCause());
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for new topics", e);
            }
        }
    }
}
