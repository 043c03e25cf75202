package dev.tokenledger.serde;

import dev.tokenledger.registry.SchemaRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire format Avro into a generated record class, resolving the writer's schema
 * (looked up by id once, then cached with its reader) against the class's schema, so records
 * written with an older or newer compatible schema read fine.
 *
 * <p>Uses the generated class's {@link SpecificData} model, so decimals arrive as {@code BigDecimal}
 * and timestamp-millis as {@code Instant}. Thread-safe. {@code null} reads as {@code null}. A bad
 * magic byte, an unknown schema id or a truncated body throws {@link SerializationException}.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private SchemaRegistry registry;
    private Class<T> type;
    private Schema readerSchema;
    private SpecificData model;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    /** For Kafka to instantiate by class name; {@link #configure(Map, boolean)} must follow. */
    public ConfluentAvroDeserializer() {}

    /** {@code isKey} mirrors the serializer's constructor; reading needs only the id in each record. */
    public ConfluentAvroDeserializer(SchemaRegistry registry, Class<T> type, boolean isKey) {
        this.registry = registry;
        bind(type);
    }

    /**
     * Reads {@code schema.registry.url} and {@code specific.avro.reader.class} (both required).
     * Ignored when built by the main constructor.
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry != null) {
            return;
        }
        Class<T> configured = SerdeConfig.recordClass(configs);
        if (configured == null) {
            throw new ConfigException(SerdeConfig.SPECIFIC_AVRO_READER_CLASS + " is required");
        }
        this.registry = SerdeConfig.registry(configs);
        bind(configured);
    }

    private void bind(Class<T> recordClass) {
        this.type = recordClass;
        this.model = SpecificData.getForClass(recordClass);
        this.readerSchema = model.getSchema(recordClass);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new SerializationException("ConfluentAvroDeserializer used before configure()");
        }
        int schemaId = WireFormat.schemaId(topic, data);
        DatumReader<T> reader = readerFor(topic, schemaId);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not read " + type.getSimpleName() + " (writer schema id "
                    + schemaId + ") on topic " + topic + ", truncated or corrupt: " + e, e);
        }
    }

    private DatumReader<T> readerFor(String topic, int schemaId) {
        DatumReader<T> reader = readersByWriterId.get(schemaId);
        if (reader == null) {
            Schema writerSchema = WireFormat.writerSchema(registry, topic, schemaId);
            reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
            readersByWriterId.putIfAbsent(schemaId, reader);
        }
        return reader;
    }
}
