package dev.tokenledger.warehouse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

/**
 * Connect SMT that removes fields from the record value, nested ones included, by dot path
 * ({@code fields=event.attributes,event.request_id}).
 *
 * <p>Why it exists: the stock {@code Flatten} rejects a MAP field in a record with a schema, and the stock
 * {@code ReplaceField} only reaches top-level fields, so {@code PricedUsage.event.attributes} must be removed before
 * flattening. Records without a value (tombstones) pass unchanged; schemaless map values are pruned the same way.
 */
public class DropValueFields<R extends ConnectRecord<R>> implements Transformation<R> {

    public static final String FIELDS_CONFIG = "fields";

    private static final ConfigDef CONFIG_DEF = new ConfigDef().define(FIELDS_CONFIG, ConfigDef.Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
            "Dot-separated paths of value fields to remove, e.g. event.attributes.");

    private Set<String> dropped = Set.of();
    private final Map<Schema, Schema> prunedSchemas = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        List<String> paths = new SimpleConfig(CONFIG_DEF, configs).getList(FIELDS_CONFIG);
        dropped = paths.stream().map(String::trim).filter(path -> !path.isEmpty()).collect(Collectors.toUnmodifiableSet());
        prunedSchemas.clear();
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return record;
        }
        if (record.valueSchema() == null) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new DataException("DropValueFields needs a struct or a map value, got " + value.getClass());
            }
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                    null, pruneMap(map, ""), record.timestamp(), record.headers());
        }
        if (!(value instanceof Struct struct)) {
            throw new DataException("DropValueFields needs a struct value, got " + value.getClass());
        }
        Schema pruned = prunedSchemas.computeIfAbsent(record.valueSchema(), schema -> pruneSchema(schema, ""));
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                pruned, copy(struct, pruned), record.timestamp(), record.headers());
    }

    private Schema pruneSchema(Schema schema, String prefix) {
        SchemaBuilder builder = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.parameters() != null) {
            builder.parameters(schema.parameters());
        }
        if (schema.isOptional()) {
            builder.optional();
        }
        for (Field field : schema.fields()) {
            String path = prefix + field.name();
            if (dropped.contains(path)) {
                continue;
            }
            boolean prunedBelow = field.schema().type() == Schema.Type.STRUCT && dropsBelow(path);
            builder.field(field.name(), prunedBelow ? pruneSchema(field.schema(), path + ".") : field.schema());
        }
        return builder.build();
    }

    private boolean dropsBelow(String path) {
        String prefix = path + ".";
        return dropped.stream().anyMatch(candidate -> candidate.startsWith(prefix));
    }

    private static Struct copy(Struct source, Schema target) {
        Struct copy = new Struct(target);
        for (Field field : target.fields()) {
            Object value = source.get(field.name());
            if (value instanceof Struct nested && nested.schema() != field.schema()) {
                value = copy(nested, field.schema());
            }
            copy.put(field.name(), value);
        }
        return copy;
    }

    private Map<Object, Object> pruneMap(Map<?, ?> source, String prefix) {
        Map<Object, Object> copy = new HashMap<>();
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            String path = prefix + entry.getKey();
            if (dropped.contains(path)) {
                continue;
            }
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested && dropsBelow(path)) {
                value = pruneMap(nested, path + ".");
            }
            copy.put(entry.getKey(), value);
        }
        return copy;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        prunedSchemas.clear();
    }
}
