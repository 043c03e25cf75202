package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class UtcZonedTimestampsTest {

    private static SinkRecord apply(Schema schema, Object value) {
        UtcZonedTimestamps<SinkRecord> transform = new UtcZonedTimestamps<>();
        transform.configure(Map.of());
        return transform.apply(new SinkRecord("t", 0, Schema.STRING_SCHEMA, "k", schema, value, 7L));
    }

    @Test
    void shouldWriteEveryTimestampAsAnUtcZonedTimestampString() {
        Map.Entry<String, Struct> rollup =
                ConnectShapes.rollup("daily", "2026-03-01T00:00:00Z", "search", "answer", 1, "1");
        SinkRecord out = apply(ConnectShapes.ROLLUP, rollup.getValue());
        Struct value = (Struct) out.value();
        assertThat(value.schema().field("window_start").schema().name()).isEqualTo(UtcZonedTimestamps.ZONED_TIMESTAMP);
        assertThat(value.getString("window_start")).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(value.getString("last_event_at")).isEqualTo("2026-03-01T23:59:59.999Z");
        assertThat(value.getStruct("cost").get("total")).isEqualTo(ConnectShapes.money("1"));
    }

    @Test
    void shouldRewriteNestedAndOptionalTimestampsAndKeepNulls() {
        Struct priced = ConnectShapes.pricedUsage("r", "2026-03-02T10:00:00Z", "1", null, List.of(), true);
        Struct out = (Struct) apply(ConnectShapes.PRICED_USAGE, priced).value();
        assertThat(out.getStruct("event").getString("timestamp")).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(out.getStruct("price").getString("effective_from")).isEqualTo("2026-01-01T00:00:00Z");

        Struct unpriced = ConnectShapes.pricedUsage("r", "2026-03-02T10:00:00Z", "0", null, List.of(), false);
        assertThat(((Struct) apply(ConnectShapes.PRICED_USAGE, unpriced).value()).get("price")).isNull();
    }

    @Test
    void shouldLeaveRecordsWithoutTimestampsAndTombstonesUntouched() {
        SinkRecord ownership = new SinkRecord("t", 0, null, null, ConnectShapes.OWNERSHIP,
                ConnectShapes.ownership("answer", "search", "ann"), 1L);
        UtcZonedTimestamps<SinkRecord> transform = new UtcZonedTimestamps<>();
        assertThat(transform.apply(ownership)).isSameAs(ownership);
        SinkRecord tombstone = new SinkRecord("t", 0, null, "k", null, null, 2L);
        assertThat(transform.apply(tombstone)).isSameAs(tombstone);
    }
}
