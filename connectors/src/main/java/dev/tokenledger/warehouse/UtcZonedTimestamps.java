package dev.tokenledger.warehouse;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Connect SMT that rewrites every Connect {@code Timestamp} in the record value (nested ones included) as a Debezium
 * {@code io.debezium.time.ZonedTimestamp}: an ISO-8601 UTC string such as {@code 2026-03-01T00:00:00Z}.
 *
 * <p>Why it exists: the Debezium JDBC sink binds a Connect Timestamp as a local date-time, which PostgreSQL reads in
 * the session time zone, and the PostgreSQL driver sets that to the worker JVM's zone: on a worker that is not on UTC
 * every instant lands shifted by the zone's offset. A ZonedTimestamp is bound as {@code cast(? as timestamptz)}
 * with its explicit offset, so the stored instant is exact whatever the worker's zone.
 */
public class UtcZonedTimestamps<R extends ConnectRecord<R>> implements Transformation<R> {

    /** Debezium's semantic type name for a timestamp with a zone, carried as a string. */
    public static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";

    private final Map<Schema, Schema> rewrittenSchemas = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        rewrittenSchemas.clear();
    }

    @Override
    public R apply(R record) {
        if (record.value() == null || record.valueSchema() == null || !(record.value() instanceof Struct struct)) {
            return record;
        }
        Schema rewritten = rewrittenSchemas.computeIfAbsent(record.valueSchema(), UtcZonedTimestamps::rewrite);
        if (rewritten == record.valueSchema()) {
            return record;
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                rewritten, copy(struct, rewritten), record.timestamp(), record.headers());
    }

    /** The same schema with Timestamp fields as ZonedTimestamp strings; the very same instance when it has none. */
    private static Schema rewrite(Schema schema) {
        boolean changed = false;
        SchemaBuilder builder = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.parameters() != null) {
            builder.parameters(schema.parameters());
        }
        if (schema.isOptional()) {
            builder.optional();
        }
        for (Field field : schema.fields()) {
            Schema fieldSchema = field.schema();
            Schema target = fieldSchema;
            if (Timestamp.LOGICAL_NAME.equals(fieldSchema.name())) {
                SchemaBuilder zoned = SchemaBuilder.string().name(ZONED_TIMESTAMP).version(1);
                target = fieldSchema.isOptional() ? zoned.optional().build() : zoned.build();
            } else if (fieldSchema.type() == Schema.Type.STRUCT) {
                target = rewrite(fieldSchema);
            }
            changed |= target != fieldSchema;
            builder.field(field.name(), target);
        }
        return changed ? builder.build() : schema;
    }

    private static Struct copy(Struct source, Schema target) {
        Struct copy = new Struct(target);
        for (Field field : target.fields()) {
            Object value = source.get(field.name());
            if (value instanceof Date date && ZONED_TIMESTAMP.equals(field.schema().name())) {
                value = Instant.ofEpochMilli(date.getTime()).toString();
            } else if (value instanceof Struct nested && nested.schema() != field.schema()) {
                value = copy(nested, field.schema());
            }
            copy.put(field.name(), value);
        }
        return copy;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
        rewrittenSchemas.clear();
    }
}
