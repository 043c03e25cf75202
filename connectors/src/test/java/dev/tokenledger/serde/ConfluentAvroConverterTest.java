package dev.tokenledger.serde;

import static dev.tokenledger.serde.AvroFixtures.pricedUsage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.registry.InMemorySchemaRegistry;
import dev.tokenledger.registry.SchemaRegistries;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroConverterTest {

    private static final String TOPIC = "llm.usage.priced.v1";
    private static final String REGISTRY_URL = "mem://converter-test";

    private final InMemorySchemaRegistry registry = (InMemorySchemaRegistry) SchemaRegistries.fromUrl(REGISTRY_URL);
    private final ConfluentAvroSerializer<PricedUsage> serializer =
            new ConfluentAvroSerializer<>(registry, PricedUsage.class, false);
    private final ConfluentAvroConverter converter = new ConfluentAvroConverter();

    @BeforeEach
    void configureConverter() {
        converter.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY_URL), false);
    }

    @Test
    void shouldMapRecordsToStructsWithDecimalsTimestampsAndNestedRecords() {
        SchemaAndValue converted = converter.toConnectData(TOPIC, serializer.serialize(TOPIC, pricedUsage("req-1", true)));

        Schema schema = converted.schema();
        assertThat(schema.type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(schema.name()).isEqualTo("dev.tokenledger.avro.PricedUsage");
        Struct value = (Struct) converted.value();
        value.validate();

        Schema total = schema.field("cost").schema().field("total").schema();
        assertThat(total.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(total.parameters()).containsEntry(Decimal.SCALE_FIELD, "12")
                .containsEntry(AvroToConnect.DECIMAL_PRECISION_PARAMETER, "38");
        assertThat(value.getStruct("cost").get("total")).isEqualTo(new BigDecimal("0.029775000000"));

        assertThat(schema.field("priced_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(value.get("priced_at")).isEqualTo(Date.from(AvroFixtures.PRICED_AT));
        assertThat(value.getStruct("price").get("effective_from")).isEqualTo(Date.from(AvroFixtures.PRICE_FROM));
        assertThat(value.getStruct("event").getString("request_id")).isEqualTo("req-1");
        assertThat(value.getStruct("event").getInt64("input_tokens")).isEqualTo(12_000L);
        assertThat(value.getStruct("event").getBoolean("batch")).isFalse();
        assertThat(value.getStruct("attribution").getString("cost_center")).isEqualTo("CC-1042");
    }

    @Test
    void shouldMapNullableUnionsToOptionalFields() {
        SchemaAndValue converted = converter.toConnectData(TOPIC, serializer.serialize(TOPIC, pricedUsage("req-2", false)));

        Schema schema = converted.schema();
        Struct value = (Struct) converted.value();
        assertThat(schema.field("price").schema().isOptional()).isTrue();
        assertThat(schema.field("price").schema().type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(value.get("price")).isNull();

        Schema event = schema.field("event").schema();
        assertThat(event.field("response_model").schema().isOptional()).isTrue();
        assertThat(event.field("request_id").schema().isOptional()).isFalse();
        assertThat(event.field("latency_ms").schema()).isEqualTo(Schema.OPTIONAL_INT64_SCHEMA);
        assertThat(value.getStruct("event").get("response_model")).isNull();
        assertThat(value.getStruct("event").get("latency_ms")).isEqualTo(1_432L);

        Schema reportedCost = event.field("provider_reported_cost_usd").schema();
        assertThat(reportedCost.isOptional()).isTrue();
        assertThat(reportedCost.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(value.getStruct("event").get("provider_reported_cost_usd")).isEqualTo(new BigDecimal("0.048912345678"));
    }

    @Test
    void shouldMapArraysAndMaps() {
        Struct value = (Struct) converter.toConnectData(TOPIC, serializer.serialize(TOPIC, pricedUsage("req-3", false))).value();

        assertThat(value.schema().field("flags").schema().type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(value.getArray("flags")).isEqualTo(List.of("unpriced"));
        Schema attributes = value.schema().field("event").schema().field("attributes").schema();
        assertThat(attributes.type()).isEqualTo(Schema.Type.MAP);
        assertThat(attributes.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(value.getStruct("event").getMap("attributes")).isEqualTo(Map.of("region_hint", "eu", "experiment", "b"));
    }

    @Test
    void shouldReuseTheConnectSchemaForEveryRecordOfOneWriterSchema() {
        Schema first = converter.toConnectData(TOPIC, serializer.serialize(TOPIC, pricedUsage("req-4", true))).schema();
        Schema second = converter.toConnectData(TOPIC, serializer.serialize(TOPIC, pricedUsage("req-5", false))).schema();

        assertThat(second).isSameAs(first);
    }

    @Test
    void shouldConvertTombstonesToNull() {
        assertThat(converter.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void shouldRejectUnionsOtherThanNullable() throws Exception {
        org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse("""
                {"type": "record", "name": "Odd", "namespace": "test", "fields": [
                  {"name": "either", "type": ["string", "long"]}
                ]}""");
        GenericRecord record = new GenericData.Record(avro);
        record.put("either", 5L);
        byte[] bytes = ConfluentAvroSerdeTest.confluentFrame(registry.register("odd-value", avro), avro, record);

        assertThatThrownBy(() -> converter.toConnectData("odd", bytes))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("union");
    }

    @Test
    void shouldRejectPayloadsThatAreNotConfluentWireFormat() {
        byte[] bytes = serializer.serialize(TOPIC, pricedUsage("req-6", true));
        bytes[0] = 7;
        byte[] unknownId = serializer.serialize(TOPIC, pricedUsage("req-7", true));
        ByteBuffer.wrap(unknownId).putInt(1, 123_456);

        assertThatThrownBy(() -> converter.toConnectData(TOPIC, bytes))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("magic byte 7");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, unknownId))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("Unknown schema id 123456");
    }

    @Test
    void shouldRefuseToWriteConnectDataAsItOnlyServesSinks() {
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, Schema.STRING_SCHEMA, "x"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("only reads");
    }
}
