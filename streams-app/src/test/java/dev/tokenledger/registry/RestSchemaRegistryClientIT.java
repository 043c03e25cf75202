package dev.tokenledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.serde.AvroFixtures;
import dev.tokenledger.serde.ConfluentAvroSerde;
import dev.tokenledger.testing.ApicurioRegistry;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST client and the serdes against a real Apicurio Registry (Confluent-compatible API under
 * {@code /apis/ccompat/v7}), run as a child process by {@link ApicurioRegistry}.
 */
class RestSchemaRegistryClientIT {

    private static ApicurioRegistry registry;
    private static String baseUrl;

    @BeforeAll
    static void startApicurio() throws Exception {
        registry = ApicurioRegistry.start("registry-it.log");
        baseUrl = registry.ccompatUrl();
    }

    @AfterAll
    static void stopApicurio() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldRegisterASchemaAndLookItUpByIdFromAnotherClient() {
        int id = new RestSchemaRegistryClient(baseUrl).register("it.usage.v1-value", UsageEvent.getClassSchema());

        Schema fetched = new RestSchemaRegistryClient(baseUrl).schemaById(id);

        assertThat(fetched).isEqualTo(UsageEvent.getClassSchema());
    }

    @Test
    void shouldGiveTheSameIdToTheSameSchemaUnderTheSameSubjectAndANewIdToAChangedOne() {
        Schema first = SchemaBuilder.record("Probe").namespace("it").fields().requiredLong("a").endRecord();
        Schema changed = SchemaBuilder.record("Probe").namespace("it").fields()
                .requiredLong("a").optionalString("b").endRecord();

        int id = new RestSchemaRegistryClient(baseUrl).register("it.probe-value", first);
        int again = new RestSchemaRegistryClient(baseUrl).register("it.probe-value", first);
        int changedId = new RestSchemaRegistryClient(baseUrl).register("it.probe-value", changed);

        assertThat(again).isEqualTo(id);
        assertThat(changedId).isNotEqualTo(id);
        assertThat(new RestSchemaRegistryClient(baseUrl).schemaById(changedId)).isEqualTo(changed);
    }

    @Test
    void shouldReportAnUnknownIdWithTheRegistrysNotFoundStatus() {
        assertThatThrownBy(() -> new RestSchemaRegistryClient(baseUrl).schemaById(987_654))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).hasValue(404))
                .hasMessageContaining("/schemas/ids/987654");
    }

    @Test
    void shouldRoundTripPricedUsageThroughTheRealRegistry() {
        String topic = "it.usage.priced.v1";
        ConfluentAvroSerde<PricedUsage> producerSide =
                ConfluentAvroSerde.forValues(new RestSchemaRegistryClient(baseUrl), PricedUsage.class);
        ConfluentAvroSerde<PricedUsage> consumerSide =
                ConfluentAvroSerde.forValues(new RestSchemaRegistryClient(baseUrl), PricedUsage.class);
        PricedUsage priced = AvroFixtures.pricedUsage("req-it-1", true);
        PricedUsage unpriced = AvroFixtures.pricedUsage("req-it-2", false);

        byte[] pricedBytes = producerSide.serializer().serialize(topic, priced);
        byte[] unpricedBytes = producerSide.serializer().serialize(topic, unpriced);

        assertThat(consumerSide.deserializer().deserialize(topic, pricedBytes)).isEqualTo(priced);
        assertThat(consumerSide.deserializer().deserialize(topic, unpricedBytes)).isEqualTo(unpriced);
        int writtenId = ByteBuffer.wrap(pricedBytes, 1, 4).getInt();
        assertThat(new RestSchemaRegistryClient(baseUrl).schemaById(writtenId)).isEqualTo(PricedUsage.getClassSchema());
    }
}
