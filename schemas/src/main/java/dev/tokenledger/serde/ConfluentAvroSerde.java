package dev.tokenledger.serde;

import dev.tokenledger.registry.SchemaRegistry;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@link ConfluentAvroSerializer} and {@link ConfluentAvroDeserializer} as one Kafka {@link Serde}. */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;

    /** For Kafka to instantiate by class name; {@link #configure(Map, boolean)} must follow. */
    public ConfluentAvroSerde() {
        this.serializer = new ConfluentAvroSerializer<>();
        this.deserializer = new ConfluentAvroDeserializer<>();
    }

    public ConfluentAvroSerde(SchemaRegistry registry, Class<T> type, boolean isKey) {
        this.serializer = new ConfluentAvroSerializer<>(registry, type, isKey);
        this.deserializer = new ConfluentAvroDeserializer<>(registry, type, isKey);
    }

    /** A serde for record values of {@code type} (subject {@code <topic>-value}). */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValues(SchemaRegistry registry, Class<T> type) {
        return new ConfluentAvroSerde<>(registry, type, false);
    }

    /** A serde for record keys of {@code type} (subject {@code <topic>-key}). */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forKeys(SchemaRegistry registry, Class<T> type) {
        return new ConfluentAvroSerde<>(registry, type, true);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
