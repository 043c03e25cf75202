package dev.tokenledger.ingest.http;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.ingest.IngestPublisher;
import dev.tokenledger.ingest.InputFormat;
import dev.tokenledger.ingest.Reject;
import dev.tokenledger.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Where HTTP ingest writes: the same records as {@link IngestPublisher} (events as Avro to
 * {@code llm.usage.v1} keyed by {@code request_id}, rejects as dead letters with stage {@code ingest}),
 * but with one future per request, so a request is answered once the broker acknowledged its own
 * records, not everyone's. Counts the records in flight (sent, not yet acknowledged) for backpressure.
 * The producer is idempotent with {@code acks=all}: a retried send cannot write a record twice.
 */
public final class IngestSink implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final Serializer<UsageEvent> events;
    private final Serializer<DeadLetter> deadLetters;
    private final AtomicLong inFlight = new AtomicLong();

    public IngestSink(Producer<byte[], byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
        this.events = topics.avro(UsageEvent.class).serializer();
        this.deadLetters = topics.dlq.valueSerde().serializer();
    }

    /** @param kafka client properties (bootstrap servers, security); the producer settings are set here */
    public static IngestSink connect(Properties kafka, Topics topics) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenledger-http-ingest");
        return new IngestSink(new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()), topics);
    }

    /** Records sent and not yet acknowledged (or failed). */
    public long inFlight() {
        return inFlight.get();
    }

    /**
     * Sends a request's events and rejects; the future completes once the broker acknowledged all of
     * them, or exceptionally with the first failure.
     */
    public CompletableFuture<Void> send(List<UsageEvent> usage, List<Reject> rejects, InputFormat format, String source) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(usage.size() + rejects.size());
        for (UsageEvent e : usage) {
            acks.add(send(new ProducerRecord<>(topics.usageAvro.name(), null, e.getTimestamp().toEpochMilli(),
                    e.getRequestId().getBytes(StandardCharsets.UTF_8), events.serialize(topics.usageAvro.name(), e))));
        }
        for (Reject r : rejects) {
            acks.add(send(new ProducerRecord<>(topics.dlq.name(), null,
                    deadLetters.serialize(topics.dlq.name(), IngestPublisher.deadLetter(r, format, source)))));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        inFlight.incrementAndGet();
        try {
            producer.send(record, (meta, e) -> settle(ack, e));
        } catch (RuntimeException e) { // a send refused before it was queued (buffer full past max.block.ms, closed)
            settle(ack, e);
        }
        return ack;
    }

    /** Only the first outcome of a record counts, so the in-flight count cannot drift. */
    private void settle(CompletableFuture<Void> ack, Exception e) {
        if (e == null ? ack.complete(null) : ack.completeExceptionally(e)) {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
