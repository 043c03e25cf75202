package dev.tokenledger.validate;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.metrics.PipelineMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Stage 1: decode and check one raw input record. A valid event is forwarded keyed by its
 * {@code request_id} with the record timestamp set to the event's own time, so every window
 * downstream runs on event time. Anything else becomes a {@link DeadLetter} carrying the original
 * bytes, where they came from and a machine-readable reason; the stream never stops for bad input.
 *
 * <p>Events whose event time is more than {@code maxEventAge} before the moment they are processed
 * (the wall clock) are refused as {@code too_old}; they stay replayable from the DLQ. The horizon is
 * the wall clock rather than a task's stream time on purpose: it is the same for every task and
 * survives restarts and rebalances, so an event accepted here is never older than what the dedupe
 * and rollup stores keep (their retention is derived from the same setting, see
 * {@link dev.tokenledger.config.Retention}), and whether an event is accepted never depends on the arrival order.
 */
public final class ValidateProcessor implements Processor<byte[], byte[], String, Validated> {

    /**
     * A usage event is well under 2 KiB; 64 KiB leaves room for generous attributes. Anything larger
     * is refused before decoding, and its dead letter keeps only a prefix, so that the dead letter
     * itself stays far below the broker's record size limit (a dead letter that cannot be written
     * would stop the stream).
     */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    static final int TOO_LARGE_PREFIX_BYTES = 1024;

    private final UsageDecoder decoder;
    private final UsageValidator validator;
    private final long maxEventAgeMs;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, Validated> context;

    public ValidateProcessor(UsageDecoder decoder, UsageValidator validator, Duration maxEventAge, PipelineMetrics metrics) {
        this.decoder = decoder;
        this.validator = validator;
        this.maxEventAgeMs = maxEventAge.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Validated> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        metrics.eventRead(topic);
        if (record.value() == null) {
            reject(record, new Violation("undecodable", null, "record has no value (tombstone)"));
            return;
        }
        if (record.value().length > MAX_RECORD_BYTES) {
            reject(record, new Violation(Violation.TOO_LARGE, null, "record of " + record.value().length
                    + " bytes exceeds " + MAX_RECORD_BYTES + "; original_value holds its first " + TOO_LARGE_PREFIX_BYTES
                    + " bytes, the whole record stays at its source topic, partition and offset"));
            return;
        }
        UsageDecoder.Decoded decoded = decoder.decode(topic, record.value());
        if (decoded.event() == null) {
            reject(record, decoded.violations().isEmpty()
                    ? new Violation("undecodable", null, "record could not be decoded")
                    : decoded.violations().get(0), decoded.violations());
            return;
        }
        UsageEvent event = decoded.event();
        long nowMs = context.currentSystemTimeMs();
        List<Violation> violations = validator.validate(event, Instant.ofEpochMilli(nowMs));
        if (!violations.isEmpty()) {
            reject(record, violations.get(0), violations);
            return;
        }
        long eventTime = event.getTimestamp().toEpochMilli();
        if (eventTime < nowMs - maxEventAgeMs) {
            reject(record, new Violation(Violation.TOO_OLD, "timestamp",
                    "event time " + event.getTimestamp() + " is more than " + Duration.ofMillis(maxEventAgeMs)
                            + " before it was processed (" + Instant.ofEpochMilli(nowMs)
                            + "); the stores no longer hold that window. Replay it after raising "
                            + "tokenledger.validate.max-event-age."));
            return;
        }
        boolean keyed = record.key() != null
                && java.util.Arrays.equals(record.key(), event.getRequestId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        context.forward(new Record<>(event.getRequestId(), Validated.valid(event, keyed), eventTime, record.headers()));
    }

    private void reject(Record<byte[], byte[]> record, Violation first) {
        reject(record, first, List.of(first));
    }

    private void reject(Record<byte[], byte[]> record, Violation first, List<Violation> all) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        StringBuilder detail = new StringBuilder(first.detail());
        if (all.size() > 1) {
            detail.append(" (and ").append(all.size() - 1).append(" more: ");
            for (int i = 1; i < all.size(); i++) {
                if (i > 1) detail.append("; ");
                detail.append(all.get(i).reason()).append(all.get(i).field() == null ? "" : " " + all.get(i).field());
            }
            detail.append(')');
        }
        DeadLetter dl = DeadLetter.newBuilder()
                .setReason(first.reason())
                .setField(first.field())
                .setDetail(detail.toString())
                .setSourceTopic(meta == null ? "unknown" : meta.topic())
                .setSourcePartition(meta == null ? -1 : meta.partition())
                .setSourceOffset(meta == null ? -1 : meta.offset())
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key(), 0, Math.min(record.key().length, MAX_RECORD_BYTES)))
                .setOriginalValue(record.value() == null ? null : record.value().length > MAX_RECORD_BYTES
                        ? ByteBuffer.wrap(java.util.Arrays.copyOf(record.value(), TOO_LARGE_PREFIX_BYTES))
                        : ByteBuffer.wrap(record.value()))
                .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setStage("validate")
                .build();
        metrics.deadLettered(first.reason());
        String key = record.key() == null ? null
                : new String(record.key(), 0, Math.min(record.key().length, MAX_RECORD_BYTES), java.nio.charset.StandardCharsets.UTF_8);
        context.forward(new Record<>(key, Validated.rejected(dl), record.timestamp(), record.headers()));
    }
}
