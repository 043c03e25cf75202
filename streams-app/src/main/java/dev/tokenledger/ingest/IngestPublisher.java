package dev.tokenledger.ingest;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes what an adapter made: each event as Avro to {@code llm.usage.v1} keyed by its
 * {@code request_id} (the validate stage still judges event time), each reject as a {@link DeadLetter}
 * on {@code llm.usage.dlq.v1} with stage {@code ingest}, its reason, field, locator and original bytes,
 * so bad input is replayable like the validate stage's. The producer is idempotent with
 * {@code acks=all}; {@link #flush} returns once the broker has acknowledged every record sent.
 */
public final class IngestPublisher implements AutoCloseable {

    /** As the validate stage: a dead letter keeps at most this much of an oversized original, so it stays far below the record limit. */
    static final int MAX_ORIGINAL_BYTES = 64 * 1024;
    static final int OVERSIZED_PREFIX_BYTES = 1024;

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final Serializer<UsageEvent> events;
    private final Serializer<DeadLetter> deadLetters;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param kafka client properties (bootstrap servers, security); producer settings are added here */
    public IngestPublisher(Properties kafka, Topics topics) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.events = topics.avro(UsageEvent.class).serializer();
        this.deadLetters = topics.dlq.valueSerde().serializer();
    }

    public void event(UsageEvent e) {
        byte[] key = e.getRequestId().getBytes(StandardCharsets.UTF_8);
        send(new ProducerRecord<>(topics.usageAvro.name(), null, e.getTimestamp().toEpochMilli(), key,
                events.serialize(topics.usageAvro.name(), e)));
    }

    /** @param source what the reject came from, e.g. the file name; part of the dead letter's detail */
    public void reject(Reject r, InputFormat format, String source) {
        send(new ProducerRecord<>(topics.dlq.name(), null, deadLetters.serialize(topics.dlq.name(), deadLetter(r, format, source))));
    }

    public static DeadLetter deadLetter(Reject r, InputFormat format, String source) {
        byte[] original = r.original();
        if (original != null && original.length > MAX_ORIGINAL_BYTES) {
            original = Arrays.copyOf(original, OVERSIZED_PREFIX_BYTES);
        }
        return DeadLetter.newBuilder()
                .setReason(r.reason().code())
                .setField(r.field())
                .setDetail(r.locator() + (source == null ? "" : " of " + source) + ": " + r.detail())
                .setSourceTopic("ingest:" + format.cliName())
                .setSourcePartition(-1)
                .setSourceOffset(lineNumber(r.locator()))
                .setOriginalKey(null)
                .setOriginalValue(original == null ? null : ByteBuffer.wrap(original))
                .setFailedAt(Instant.now())
                .setStage("ingest")
                .build();
    }

    /** {@code line 12 ...} gives 12: where a replay finds the record; -1 when the locator names no line. */
    static long lineNumber(String locator) {
        if (!locator.startsWith("line ")) {
            return -1;
        }
        int end = 5;
        while (end < locator.length() && Character.isDigit(locator.charAt(end))) {
            end++;
        }
        return end == 5 ? -1 : Long.parseLong(locator.substring(5, end));
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("publishing failed: " + failed.getMessage(), failed);
        }
        producer.send(record, (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                acked.incrementAndGet();
            }
        });
        sent.incrementAndGet();
    }

    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acked.get();
    }

    /** Blocks until every record sent so far is acknowledged; a record the broker refused is an exception here. */
    public void flush() {
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("publishing failed: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
