package dev.tokenledger.runtime;

import dev.tokenledger.topics.Topic;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;

/** Publishes reference data (price book, ownership, budgets) to its compacted topic, waiting for every ack. */
public final class ReferenceDataPublisher {

    private ReferenceDataPublisher() {
    }

    public static <V> int publish(String bootstrapServers, Topic<String, V> topic, List<KeyValue<String, V>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return publish(p, topic, records);
    }

    /** As above, connecting with {@code client} (bootstrap servers and any security settings, see ClientProperties). */
    public static <V> int publish(Properties client, Topic<String, V> topic, List<KeyValue<String, V>> records) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Reference data is small: one request in flight keeps a retried first batch from falling behind later
        // ones (OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout, seen right after topic creation).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            var futures = records.stream()
                    .map(kv -> producer.send(new ProducerRecord<>(topic.name(), kv.key, kv.value)))
                    .toList();
            producer.flush();
            for (var f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to " + topic.name() + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        return records.size();
    }
}
