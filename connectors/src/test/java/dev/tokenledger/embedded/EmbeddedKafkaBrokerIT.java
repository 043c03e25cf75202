package dev.tokenledger.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    private static final String TOPIC = "it.usage.v1";

    @TempDir
    Path dataDir;

    @Test
    void shouldServeTransactionsAndKeepCommittedDataAcrossARestartOnTheSameDataDir() throws Exception {
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir)) {
            broker.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)));
            produceInTransaction(broker, "committed-", 10, true);
            produceInTransaction(broker, "aborted-", 5, false);

            assertThat(readCommitted(broker, 10)).hasSize(10).allMatch(value -> value.startsWith("committed-"));
            clusterId = clusterId(broker);
        }

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(dataDir)) {
            assertThat(clusterId(restarted)).isEqualTo(clusterId);
            assertThat(readCommitted(restarted, 10)).hasSize(10).allMatch(value -> value.startsWith("committed-"));

            produceInTransaction(restarted, "after-restart-", 3, true);
            assertThat(readCommitted(restarted, 13)).hasSize(13);
        }
    }

    @Test
    void shouldCreateTopicsIdempotentlyLeavingExistingTopicsAsTheyAre() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir);
             Admin admin = admin(broker)) {
            broker.createTopics(List.of(new NewTopic("it.a", 3, (short) 1)));

            broker.createTopics(List.of(new NewTopic("it.a", 1, (short) 1), new NewTopic("it.b", 1, (short) 1)));

            Map<String, Integer> partitions = new java.util.HashMap<>();
            admin.describeTopics(List.of("it.a", "it.b")).allTopicNames().get()
                    .forEach((name, description) -> partitions.put(name, description.partitions().size()));
            assertThat(partitions).containsEntry("it.a", 3).containsEntry("it.b", 1);
        }
    }

    private static void produceInTransaction(EmbeddedKafkaBroker broker, String prefix, int count, boolean commit) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, prefix + i));
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    /** Reads the topic from the start with a fresh group until {@code expected} values arrived and it is quiet. */
    private static List<String> readCommitted(EmbeddedKafkaBroker broker, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int quietPolls = 0;
            while (System.nanoTime() < deadline && (values.size() < expected || quietPolls < 3)) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    values.add(record.value());
                }
                quietPolls = values.size() >= expected && records.isEmpty() ? quietPolls + 1 : 0;
            }
        }
        return values;
    }

    private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = admin(broker)) {
            return admin.describeCluster().clusterId().get();
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
