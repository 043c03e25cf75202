package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Flatten;
import org.junit.jupiter.api.Test;

class DropValueFieldsTest {

    private static SinkRecord record(Schema schema, Object value) {
        return new SinkRecord("llm.usage.priced.v1", 0, Schema.STRING_SCHEMA, "req-1", schema, value, 42L);
    }

    private static DropValueFields<SinkRecord> dropping(String fields) {
        DropValueFields<SinkRecord> transform = new DropValueFields<>();
        transform.configure(Map.of(DropValueFields.FIELDS_CONFIG, fields));
        return transform;
    }

    @Test
    void shouldRemoveANestedMapAndKeepEverythingElse() {
        Struct priced = ConnectShapes.pricedUsage("req-1", "2026-03-02T10:00:00Z", "1", "0.9", List.of("batch_fallback"), true);
        SinkRecord out = dropping("event.attributes").apply(record(ConnectShapes.PRICED_USAGE, priced));

        Struct event = ((Struct) out.value()).getStruct("event");
        assertThat(event.schema().field("attributes")).isNull();
        assertThat(event.schema().fields()).hasSize(ConnectShapes.USAGE_EVENT.fields().size() - 1);
        assertThat(event.getString("request_id")).isEqualTo("req-1");
        assertThat(event.get("provider_reported_cost_usd")).isEqualTo(ConnectShapes.money("0.9"));
        assertThat(((Struct) out.value()).getStruct("price").getString("tier")).isEqualTo("standard");
        assertThat(((Struct) out.value()).getArray("flags")).containsExactly("batch_fallback");
        assertThat(out.key()).isEqualTo("req-1");
        assertThat(out.kafkaOffset()).isEqualTo(42L);
    }

    @Test
    void shouldKeepANullOptionalStructNull() {
        Struct unpriced = ConnectShapes.pricedUsage("req-2", "2026-03-02T10:00:00Z", "0", null, List.of("unpriced"), false);
        SinkRecord out = dropping("event.attributes").apply(record(ConnectShapes.PRICED_USAGE, unpriced));
        assertThat(((Struct) out.value()).get("price")).isNull();
        assertThat(out.valueSchema().field("price").schema().isOptional()).isTrue();
    }

    @Test
    void shouldLetTheStockFlattenRunAfterwards() {
        Struct priced = ConnectShapes.pricedUsage("req-1", "2026-03-02T10:00:00Z", "1", null, List.of(), true);
        SinkRecord dropped = dropping("event.attributes").apply(record(ConnectShapes.PRICED_USAGE, priced));
        try (Flatten.Value<SinkRecord> flatten = new Flatten.Value<>()) {
            flatten.configure(Map.of("delimiter", "_"));
            SinkRecord flat = flatten.apply(dropped);
            assertThat(flat.valueSchema().fields()).extracting(Field::name)
                    .contains("event_request_id", "event_timestamp", "cost_total", "price_effective_from", "flags",
                            "attribution_method", "priced_at")
                    .doesNotContain("event_attributes");
        }
    }

    @Test
    void shouldPassTombstonesThroughUnchanged() {
        SinkRecord tombstone = record(null, null);
        assertThat(dropping("event.attributes").apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void shouldPruneSchemalessMapValuesTheSameWay() {
        Map<String, Object> value = Map.of("event", Map.of("attributes", Map.of("k", "v"), "provider", "openai"),
                "billed_model", "gpt-x");
        SinkRecord out = dropping("event.attributes, billed_model").apply(record(null, value));
        assertThat(out.value()).isEqualTo(Map.of("event", Map.of("provider", "openai")));
    }

    @Test
    void shouldRejectAValueThatIsNeitherStructNorMap() {
        assertThatThrownBy(() -> dropping("x").apply(record(Schema.STRING_SCHEMA, "text")))
                .isInstanceOf(DataException.class);
    }
}
