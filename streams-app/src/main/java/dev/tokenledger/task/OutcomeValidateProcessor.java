package dev.tokenledger.task;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.validate.ValidateProcessor;
import dev.tokenledger.validate.Violation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes and checks one raw outcome record. A valid outcome is forwarded keyed by its task_id with
 * its own time as the record timestamp (the task stage runs on event time); anything else becomes a
 * {@link DeadLetter} on the usage DLQ, stage {@code task}, with the original bytes and a reason code
 * from {@link Violation}.
 */
public final class OutcomeValidateProcessor implements Processor<byte[], byte[], String, CheckedOutcome> {

    static final String STAGE = "task";

    private final TaskOutcomeDecoders.Decoder decoder;
    private final TaskOutcomeValidator validator;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, CheckedOutcome> context;

    public OutcomeValidateProcessor(TaskOutcomeDecoders.Decoder decoder, TaskOutcomeValidator validator, PipelineMetrics metrics) {
        this.decoder = decoder;
        this.validator = validator;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, CheckedOutcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        if (record.value() == null) {
            reject(record, List.of(new Violation(Violation.UNDECODABLE, null, "record has no value (tombstone)")));
            return;
        }
        if (record.value().length > ValidateProcessor.MAX_RECORD_BYTES) {
            reject(record, List.of(new Violation(Violation.TOO_LARGE, null, "record of " + record.value().length
                    + " bytes exceeds " + ValidateProcessor.MAX_RECORD_BYTES + "; it stays at its source topic, partition and offset")));
            return;
        }
        TaskOutcomeJson.Parsed parsed = decoder.apply(topic, record.value());
        if (parsed.outcome() == null) {
            reject(record, parsed.violations());
            return;
        }
        TaskOutcome outcome = parsed.outcome();
        List<Violation> violations = validator.validate(outcome, context.currentSystemTimeMs());
        if (!violations.isEmpty()) {
            reject(record, violations);
            return;
        }
        context.forward(new Record<>(outcome.getTaskId(), new CheckedOutcome(outcome, null),
                outcome.getTimestamp().toEpochMilli(), record.headers()));
    }

    private void reject(Record<byte[], byte[]> record, List<Violation> all) {
        Violation first = all.isEmpty() ? new Violation(Violation.UNDECODABLE, null, "record could not be decoded") : all.get(0);
        StringBuilder detail = new StringBuilder(first.detail());
        for (int i = 1; i < all.size(); i++) {
            detail.append(i == 1 ? " (and: " : "; ").append(all.get(i).reason())
                    .append(all.get(i).field() == null ? "" : " " + all.get(i).field());
            if (i == all.size() - 1) detail.append(')');
        }
        RecordMetadata meta = context.recordMetadata().orElse(null);
        byte[] value = record.value();
        // Only a prefix of an oversized record, so that the dead letter itself fits the broker's limit.
        byte[] kept = value == null ? null : value.length > ValidateProcessor.MAX_RECORD_BYTES ? Arrays.copyOf(value, 1024) : value;
        DeadLetter dl = DeadLetter.newBuilder()
                .setReason(first.reason())
                .setField(first.field())
                .setDetail(detail.toString())
                .setSourceTopic(meta == null ? "unknown" : meta.topic())
                .setSourcePartition(meta == null ? -1 : meta.partition())
                .setSourceOffset(meta == null ? -1 : meta.offset())
                .setOriginalKey(record.key() == null ? null
                        : ByteBuffer.wrap(record.key(), 0, Math.min(record.key().length, ValidateProcessor.MAX_RECORD_BYTES)))
                .setOriginalValue(kept == null ? null : ByteBuffer.wrap(kept))
                .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setStage(STAGE)
                .build();
        metrics.deadLettered(first.reason());
        String key = record.key() == null ? null
                : new String(record.key(), 0, Math.min(record.key().length, ValidateProcessor.MAX_RECORD_BYTES), StandardCharsets.UTF_8);
        context.forward(new Record<>(key, new CheckedOutcome(null, dl), record.timestamp(), record.headers()));
    }
}
