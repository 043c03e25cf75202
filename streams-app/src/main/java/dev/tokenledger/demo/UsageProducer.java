package dev.tokenledger.demo;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/** Plays the part of a gateway: sends usage events as Avro (keyed by request_id) or raw JSON bytes. */
public final class UsageProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final Serializer<UsageEvent> avro;
    private final AtomicLong sent = new AtomicLong();
    private volatile Exception failure;

    public UsageProducer(String bootstrapServers, Topics topics) {
        this(bootstrapOnly(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics);
    }

    /** A producer connecting with {@code client}: bootstrap servers and any security settings a gateway's would have. */
    public UsageProducer(Properties client, Topics topics) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.avro = topics.<UsageEvent>avro(UsageEvent.class).serializer();
    }

    static Properties bootstrapOnly(String key, String bootstrapServers) {
        Properties p = new Properties();
        p.put(key, bootstrapServers);
        return p;
    }

    public void sendAvro(UsageEvent event) {
        byte[] key = event.getRequestId().getBytes(StandardCharsets.UTF_8);
        byte[] value = avro.serialize(topics.usageAvro.name(), event);
        send(new ProducerRecord<>(topics.usageAvro.name(), null, event.getTimestamp().toEpochMilli(), key, value));
    }

    public void sendJson(String key, byte[] json) {
        send(new ProducerRecord<>(topics.usageJson.name(), key == null ? null : key.getBytes(StandardCharsets.UTF_8), json));
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        if (failure != null) {
            throw new IllegalStateException("producing usage events failed: " + failure.getMessage(), failure);
        }
        producer.send(record, (meta, e) -> {
            if (e != null) failure = e;
        });
        sent.incrementAndGet();
    }

    public long sent() {
        return sent.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

}
