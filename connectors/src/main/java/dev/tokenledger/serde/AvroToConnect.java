package dev.tokenledger.serde;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps one Avro writer schema to a Kafka Connect schema, and its values (as read by a
 * {@code GenericData} with decimal, timestamp-millis and date conversions) to Connect values.
 *
 * <p>records → Struct; {@code ["null", X]} → optional X; string and enum → string; int, long,
 * float, double, boolean, bytes and fixed → their Connect types; decimal → Connect {@link Decimal}
 * (with its precision as {@code connect.decimal.precision}, as Confluent's converter does);
 * timestamp-millis → {@link Timestamp}; date → {@link Date}; arrays and maps (string keys).
 * Other unions and recursive records have no Connect equivalent and fail with a {@link DataException}.
 */
final class AvroToConnect {

    static final String DECIMAL_PRECISION_PARAMETER = "connect.decimal.precision";

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final Schema avroSchema;
    private final org.apache.kafka.connect.data.Schema connectSchema;

    private AvroToConnect(Schema avroSchema, org.apache.kafka.connect.data.Schema connectSchema) {
        this.avroSchema = avroSchema;
        this.connectSchema = connectSchema;
    }

    static AvroToConnect of(Schema avroSchema) {
        return new AvroToConnect(avroSchema, connectSchema(avroSchema, false, new HashSet<>()));
    }

    org.apache.kafka.connect.data.Schema connectSchema() {
        return connectSchema;
    }

    Object toConnect(Object avroValue) {
        return value(avroSchema, connectSchema, avroValue);
    }

    private static org.apache.kafka.connect.data.Schema connectSchema(
            Schema avro, boolean optional, Set<String> enclosingRecords) {
        if (avro.getType() == Schema.Type.UNION) {
            return connectSchema(nullableBranch(avro), true, enclosingRecords);
        }
        SchemaBuilder builder = builder(avro, enclosingRecords);
        if (avro.getDoc() != null) {
            builder.doc(avro.getDoc());
        }
        return (optional ? builder.optional() : builder).build();
    }

    private static SchemaBuilder builder(Schema avro, Set<String> enclosingRecords) {
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case RECORD:
                return struct(avro, enclosingRecords);
            case STRING:
            case ENUM:
                return SchemaBuilder.string();
            case BOOLEAN:
                return SchemaBuilder.bool();
            case INT:
                return logical instanceof LogicalTypes.Date ? Date.builder() : SchemaBuilder.int32();
            case LONG:
                return logical instanceof LogicalTypes.TimestampMillis ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT:
                return SchemaBuilder.float32();
            case DOUBLE:
                return SchemaBuilder.float64();
            case BYTES:
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    return Decimal.builder(decimal.getScale())
                            .parameter(DECIMAL_PRECISION_PARAMETER, Integer.toString(decimal.getPrecision()));
                }
                return SchemaBuilder.bytes();
            case ARRAY:
                return SchemaBuilder.array(connectSchema(avro.getElementType(), false, enclosingRecords));
            case MAP:
                return SchemaBuilder.map(org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                        connectSchema(avro.getValueType(), false, enclosingRecords));
            default:
                throw new DataException("Avro type " + avro.getType() + " has no Kafka Connect equivalent");
        }
    }

    private static SchemaBuilder struct(Schema avro, Set<String> enclosingRecords) {
        if (!enclosingRecords.add(avro.getFullName())) {
            throw new DataException("Recursive Avro record " + avro.getFullName() + " has no Kafka Connect equivalent");
        }
        SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
        for (Schema.Field field : avro.getFields()) {
            struct.field(field.name(), connectSchema(field.schema(), false, enclosingRecords));
        }
        enclosingRecords.remove(avro.getFullName());
        return struct;
    }

    private static Schema nullableBranch(Schema union) {
        List<Schema> branches = union.getTypes();
        if (branches.size() == 2) {
            if (branches.get(0).getType() == Schema.Type.NULL && branches.get(1).getType() != Schema.Type.NULL) {
                return branches.get(1);
            }
            if (branches.get(1).getType() == Schema.Type.NULL && branches.get(0).getType() != Schema.Type.NULL) {
                return branches.get(0);
            }
        }
        throw new DataException("Avro union " + union + " is not [\"null\", X]: no Kafka Connect equivalent");
    }

    private static Object value(Schema avro, org.apache.kafka.connect.data.Schema connect, Object value) {
        if (value == null) {
            return null;
        }
        switch (avro.getType()) {
            case UNION:
                return value(nullableBranch(avro), connect, value);
            case RECORD:
                return struct(avro, connect, (IndexedRecord) value);
            case STRING:
            case ENUM:
                return value.toString();
            case INT:
                return value instanceof LocalDate date ? new java.util.Date(date.toEpochDay() * MILLIS_PER_DAY) : value;
            case LONG:
                return value instanceof Instant instant ? java.util.Date.from(instant) : value;
            case BYTES:
                return value instanceof ByteBuffer buffer ? bytes(buffer) : value;
            case FIXED:
                return value instanceof GenericFixed fixed ? fixed.bytes().clone() : value;
            case ARRAY:
                List<Object> elements = new ArrayList<>();
                for (Object element : (Iterable<?>) value) {
                    elements.add(value(avro.getElementType(), connect.valueSchema(), element));
                }
                return elements;
            case MAP:
                Map<String, Object> entries = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    entries.put(entry.getKey().toString(),
                            value(avro.getValueType(), connect.valueSchema(), entry.getValue()));
                }
                return entries;
            default:
                return value;
        }
    }

    private static Struct struct(Schema avro, org.apache.kafka.connect.data.Schema connect, IndexedRecord record) {
        Struct struct = new Struct(connect);
        for (Schema.Field field : avro.getFields()) {
            struct.put(field.name(), value(field.schema(), connect.field(field.name()).schema(), record.get(field.pos())));
        }
        return struct;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
