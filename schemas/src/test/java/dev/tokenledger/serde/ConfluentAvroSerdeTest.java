package dev.tokenledger.serde;

import static dev.tokenledger.serde.AvroFixtures.pricedUsage;
import static dev.tokenledger.serde.AvroFixtures.usageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.registry.InMemorySchemaRegistry;
import dev.tokenledger.registry.SchemaRegistries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final String TOPIC = "llm.usage.v1";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerde<UsageEvent> usageSerde = ConfluentAvroSerde.forValues(registry, UsageEvent.class);

    @Test
    void shouldRoundTripUsageEventWithDecimalTimestampMapAndNulls() {
        UsageEvent event = usageEvent("req-1");

        UsageEvent read = roundTrip(usageSerde, event);

        assertThat(read).isEqualTo(event);
        assertThat(read.getProviderReportedCostUsd()).isEqualByComparingTo("0.048912345678");
        assertThat(read.getProviderReportedCostUsd().scale()).isEqualTo(12);
        assertThat(read.getTimestamp()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
        assertThat(read.getResponseModel()).isNull();
        assertThat(read.getAttributes()).containsEntry("region_hint", "eu");
    }

    @Test
    void shouldRoundTripPricedUsageWithNestedRecordsWhetherPricedOrNot() {
        ConfluentAvroSerde<PricedUsage> serde = ConfluentAvroSerde.forValues(registry, PricedUsage.class);

        PricedUsage priced = pricedUsage("req-2", true);
        PricedUsage unpriced = pricedUsage("req-3", false);

        assertThat(roundTrip(serde, priced)).isEqualTo(priced);
        assertThat(roundTrip(serde, unpriced)).isEqualTo(unpriced);
        assertThat(roundTrip(serde, unpriced).getPrice()).isNull();
        assertThat(roundTrip(serde, priced).getCost().getTotal()).isEqualTo(new BigDecimal("0.029775000000"));
        assertThat(roundTrip(serde, priced).getPrice().getEffectiveFrom()).isEqualTo(AvroFixtures.PRICE_FROM);
    }

    @Test
    void shouldWriteMagicByteAndTheIdRegisteredUnderTheTopicValueSubject() {
        registry.register("some.other.topic-value", Schema.create(Schema.Type.STRING));

        byte[] bytes = usageSerde.serializer().serialize(TOPIC, usageEvent("req-4"));

        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(id).isEqualTo(2);
        assertThat(registry.versions(TOPIC + "-value")).containsExactly(2);
        assertThat(registry.schemaById(id)).isEqualTo(UsageEvent.getClassSchema());
    }

    @Test
    void shouldRegisterKeySchemasUnderTheTopicKeySubject() {
        ConfluentAvroSerde<UsageEvent> keySerde = ConfluentAvroSerde.forKeys(registry, UsageEvent.class);

        keySerde.serializer().serialize(TOPIC, usageEvent("req-5"));

        assertThat(registry.versions(TOPIC + "-key")).hasSize(1);
        assertThat(registry.versions(TOPIC + "-value")).isEmpty();
    }

    @Test
    void shouldWriteNullAsTombstoneAndReadTombstoneAsNull() {
        assertThat(usageSerde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(usageSerde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldReadRecordWrittenWithOlderSchemaFillingNewFieldsFromDefaults() throws IOException {
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "UsageEvent", "namespace": "dev.tokenledger.avro", "fields": [
                  {"name": "request_id", "type": "string"},
                  {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "provider", "type": "string"},
                  {"name": "request_model", "type": "string"},
                  {"name": "input_tokens", "type": "long", "default": 0},
                  {"name": "output_tokens", "type": "long", "default": 0}
                ]}""");
        GenericRecord old = new GenericData.Record(older);
        old.put("request_id", "req-old");
        old.put("timestamp", 1_772_360_130_123L);
        old.put("provider", "openai");
        old.put("request_model", "gpt-4.1-mini");
        old.put("input_tokens", 1_200L);
        old.put("output_tokens", 80L);
        int olderId = registry.register(TOPIC + "-value", older);

        UsageEvent read = usageSerde.deserializer().deserialize(TOPIC, confluentFrame(olderId, older, old));

        assertThat(read.getRequestId()).isEqualTo("req-old");
        assertThat(read.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_772_360_130_123L));
        assertThat(read.getInputTokens()).isEqualTo(1_200L);
        assertThat(read.getAttempt()).isEqualTo(1);
        assertThat(read.getServiceTier()).isEqualTo("standard");
        assertThat(read.getStatus()).isEqualTo("success");
        assertThat(read.getWebSearchCalls()).isZero();
        assertThat(read.getTeam()).isNull();
        assertThat(read.getProviderReportedCostUsd()).isNull();
        assertThat(read.getAttributes()).isEmpty();
    }

    @Test
    void shouldRejectPayloadWithBadMagicByte() {
        byte[] bytes = usageSerde.serializer().serialize(TOPIC, usageEvent("req-6"));
        bytes[0] = 1;

        assertThatThrownBy(() -> usageSerde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte 1")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void shouldRejectPayloadWithUnknownSchemaId() {
        byte[] bytes = usageSerde.serializer().serialize(TOPIC, usageEvent("req-7"));
        ByteBuffer.wrap(bytes).putInt(1, 999);

        assertThatThrownBy(() -> usageSerde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 999");
    }

    @Test
    void shouldRejectPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> usageSerde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Truncated");
    }

    @Test
    void shouldRejectTruncatedBody() {
        byte[] bytes = usageSerde.serializer().serialize(TOPIC, usageEvent("req-8"));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);

        assertThatThrownBy(() -> usageSerde.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void shouldWidenDecimalWithSmallerScaleToTheSchemaScale() {
        UsageEvent shortScale = usageEvent("req-9a");
        shortScale.setProviderReportedCostUsd(new BigDecimal("0.05"));

        assertThat(roundTrip(usageSerde, shortScale).getProviderReportedCostUsd()).isEqualTo(new BigDecimal("0.050000000000"));
    }

    @Test
    void shouldFailClearlyWhenDecimalWouldLosePrecisionAndStayUsable() {
        UsageEvent wrongScale = usageEvent("req-9");
        wrongScale.setProviderReportedCostUsd(new BigDecimal("0.0489123456789"));

        assertThatThrownBy(() -> usageSerde.serializer().serialize(TOPIC, wrongScale))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("dev.tokenledger.avro.UsageEvent")
                .hasMessageContaining(TOPIC);
        UsageEvent next = usageEvent("req-10");
        assertThat(roundTrip(usageSerde, next)).isEqualTo(next);
    }

    @Test
    void shouldWorkWhenKafkaInstantiatesItByClassNameAndConfiguresIt() {
        String url = "mem://serde-test-configured";
        ConfluentAvroSerde<UsageEvent> configured = new ConfluentAvroSerde<>();
        configured.configure(Map.of(
                SerdeConfig.SCHEMA_REGISTRY_URL, url,
                SerdeConfig.SPECIFIC_AVRO_READER_CLASS, UsageEvent.class.getName()), false);
        UsageEvent event = usageEvent("req-11");

        assertThat(roundTrip(configured, event)).isEqualTo(event);
        InMemorySchemaRegistry shared = (InMemorySchemaRegistry) SchemaRegistries.fromUrl(url);
        assertThat(shared.versions(TOPIC + "-value")).hasSize(1);
    }

    @Test
    void shouldReadWhatAnotherSerializerInstanceWroteThroughTheSameRegistry() {
        ConfluentAvroSerializer<UsageEvent> producerSide = new ConfluentAvroSerializer<>(registry, UsageEvent.class, false);
        ConfluentAvroDeserializer<UsageEvent> consumerSide = new ConfluentAvroDeserializer<>(registry, UsageEvent.class, false);
        UsageEvent event = usageEvent("req-12");

        assertThat(consumerSide.deserialize(TOPIC, producerSide.serialize(TOPIC, event))).isEqualTo(event);
    }

    @Test
    void shouldRoundTripCorrectlyFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int t = thread;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        UsageEvent event = usageEvent("req-" + t + "-" + i);
                        event.setInputTokens(i);
                        if (!roundTrip(usageSerde, event).equals(event)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.versions(TOPIC + "-value")).hasSize(1);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(ConfluentAvroSerde<T> serde, T record) {
        return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, record));
    }

    static byte[] confluentFrame(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
