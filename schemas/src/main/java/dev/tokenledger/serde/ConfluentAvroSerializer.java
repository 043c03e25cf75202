package dev.tokenledger.serde;

import dev.tokenledger.registry.SchemaRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record in the Confluent wire format (magic byte 0, schema id, Avro
 * binary), registering its schema under {@code <topic>-key} or {@code <topic>-value} once per topic.
 *
 * <p>Uses the generated class's own {@link SpecificData} model, so decimal fields ({@code BigDecimal},
 * whose scale must equal the schema's) and timestamp-millis fields ({@code Instant}) encode.
 * Thread-safe: a producer may serialize on many threads; encoder and buffer are reused per thread.
 * {@code null} serializes to {@code null} (a tombstone).
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistry registry;
    private boolean isKey;
    private volatile Binding binding;
    private final ThreadLocal<EncodeBuffer> buffers = ThreadLocal.withInitial(EncodeBuffer::new);

    /** The schema and writer of one record class, and that schema's id per topic. */
    private record Binding(Class<?> type, Schema schema, DatumWriter<Object> writer, Map<String, Integer> idsByTopic) {

        static Binding of(Class<?> type) {
            SpecificData model = SpecificData.getForClass(type);
            Schema schema = model.getSchema(type);
            return new Binding(type, schema, new SpecificDatumWriter<>(schema, model), new ConcurrentHashMap<>());
        }
    }

    /** Bound to its sink for good; replaced after a failed write so no half-record lingers in it. */
    private static final class EncodeBuffer {
        final ByteSink sink = new ByteSink();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(sink, null);
    }

    /** For Kafka to instantiate by class name; {@link #configure(Map, boolean)} must follow. */
    public ConfluentAvroSerializer() {}

    public ConfluentAvroSerializer(SchemaRegistry registry, Class<T> type, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
        this.binding = Binding.of(type);
    }

    /**
     * Reads {@code schema.registry.url} and, optionally, {@code specific.avro.reader.class}
     * (otherwise the class of the first record). Ignored when built by the main constructor.
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry != null) {
            return;
        }
        this.registry = SerdeConfig.registry(configs);
        this.isKey = isKey;
        Class<T> type = SerdeConfig.recordClass(configs);
        if (type != null) {
            this.binding = Binding.of(type);
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new SerializationException("ConfluentAvroSerializer used before configure()");
        }
        Binding current = bindingFor(record);
        int schemaId = current.idsByTopic().computeIfAbsent(topic,
                t -> WireFormat.register(registry, t, isKey, current.schema()));
        EncodeBuffer buffer = buffers.get();
        buffer.sink.reset(WireFormat.HEADER_SIZE);
        try {
            current.writer().write(record, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException | RuntimeException e) {
            buffers.remove();
            throw new SerializationException("Could not serialize " + current.schema().getFullName()
                    + " for topic " + topic + ": " + e.getMessage(), e);
        }
        byte[] bytes = buffer.sink.toByteArray();
        WireFormat.writeHeader(bytes, schemaId);
        return bytes;
    }

    private Binding bindingFor(T record) {
        Binding current = binding;
        if (current == null || current.type() != record.getClass()) {
            current = Binding.of(record.getClass());
            binding = current;
        }
        return current;
    }
}
