package dev.tokenledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A reject as the dead letter {@code ingest} publishes: the validate stage's record, stage {@code ingest}, the line as offset. */
class IngestPublisherTest {

    @Test
    void shouldCarryReasonFieldLineAndOriginal() {
        Reject r = new Reject(RejectReason.MISSING_USAGE, "line 12", "usage", "the record has no usage object",
                "{\"request_id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        DeadLetter dl = IngestPublisher.deadLetter(r, InputFormat.OPENAI_USAGE, "backfill.jsonl");
        assertThat(dl.getReason()).isEqualTo("missing_usage");
        assertThat(dl.getField()).isEqualTo("usage");
        assertThat(dl.getSourceTopic()).isEqualTo("ingest:openai-usage");
        assertThat(dl.getSourceOffset()).isEqualTo(12);
        assertThat(dl.getSourcePartition()).isEqualTo(-1);
        assertThat(dl.getStage()).isEqualTo("ingest");
        assertThat(dl.getDetail()).isEqualTo("line 12 of backfill.jsonl: the record has no usage object");
        assertThat(StandardCharsets.UTF_8.decode(dl.getOriginalValue()).toString()).isEqualTo("{\"request_id\":\"x\"}");
    }

    @Test
    void shouldKeepOnlyAPrefixOfAnOversizedOriginalAndNoLineForASpan() {
        Reject r = new Reject(RejectReason.INVALID_TYPE, "resourceSpans[0].scopeSpans[0].spans[3]", null, "bad",
                new byte[IngestPublisher.MAX_ORIGINAL_BYTES + 1]);
        DeadLetter dl = IngestPublisher.deadLetter(r, InputFormat.OTLP_PROTO, null);
        assertThat(dl.getOriginalValue().remaining()).isEqualTo(IngestPublisher.OVERSIZED_PREFIX_BYTES);
        assertThat(dl.getSourceOffset()).isEqualTo(-1);
        assertThat(IngestPublisher.lineNumber("line 7 item 2")).isEqualTo(7);
        assertThat(IngestPublisher.lineNumber("item 2")).isEqualTo(-1);
    }
}
