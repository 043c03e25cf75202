package dev.tokenledger.warehouse;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Connect SMT for {@code AnomalyAlert} (llm.alerts.anomaly.v1): the {@code drivers} list becomes one exact column
 * per driver ({@code volume_usd}, {@code model_mix_usd}, {@code token_shape_usd}, {@code rate_usd}; null when the
 * rule has no drivers) and a {@code drivers_detail} text, and the {@code sources} list a text
 * ({@code name $amount; …}). Why: a row is what a person reads and sums in SQL, and a list of records has no column;
 * the four names are fixed by the decomposition (docs/anomalies.md), so they can be columns and the row can show that
 * they sum to {@code impact_usd}. Other fields pass unchanged; a record without a value passes unchanged.
 */
public class AnomalyColumns<R extends ConnectRecord<R>> implements Transformation<R> {

    /** The drivers of the decomposition, in its order; each becomes {@code <name>_usd}. */
    static final List<String> DRIVERS = List.of("volume", "model_mix", "token_shape", "rate");

    private final Map<Schema, Schema> schemas = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        schemas.clear();
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        if (!(record.value() instanceof Struct struct) || record.valueSchema() == null) {
            throw new DataException("AnomalyColumns needs a struct value with a schema, got " + record.value().getClass());
        }
        Schema target = schemas.computeIfAbsent(record.valueSchema(), AnomalyColumns::targetSchema);
        Struct out = new Struct(target);
        for (Field f : record.valueSchema().fields()) {
            if (!f.name().equals("drivers") && !f.name().equals("sources")) {
                out.put(f.name(), struct.get(f));
            }
        }
        StringJoiner details = new StringJoiner("; ");
        List<?> drivers = struct.getArray("drivers");
        for (Object o : drivers == null ? List.of() : drivers) {
            Struct d = (Struct) o;
            String name = d.getString("driver");
            if (!DRIVERS.contains(name)) {
                throw new DataException("unknown anomaly driver " + name);
            }
            out.put(name + "_usd", d.get("amount_usd"));
            String detail = d.getString("detail");
            if (detail != null && !detail.isEmpty()) {
                details.add(name + ": " + detail);
            }
        }
        out.put("drivers_detail", details.length() == 0 ? null : details.toString());
        StringJoiner sources = new StringJoiner("; ");
        List<?> named = struct.getArray("sources");
        for (Object o : named == null ? List.of() : named) {
            Struct s = (Struct) o;
            sources.add(s.getString("name") + " $" + ((BigDecimal) s.get("amount_usd")).toPlainString());
        }
        out.put("sources", sources.length() == 0 ? null : sources.toString());
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                target, out, record.timestamp(), record.headers());
    }

    private static Schema targetSchema(Schema source) {
        Field impact = source.field("impact_usd");
        if (impact == null || source.field("drivers") == null) {
            throw new DataException("AnomalyColumns needs an AnomalyAlert value (impact_usd and drivers)");
        }
        int scale = Integer.parseInt(impact.schema().parameters().get(Decimal.SCALE_FIELD));
        SchemaBuilder builder = SchemaBuilder.struct().name(source.name()).version(source.version()).doc(source.doc());
        for (Field f : source.fields()) {
            if (f.name().equals("drivers")) {
                for (String d : DRIVERS) {
                    SchemaBuilder decimal = Decimal.builder(scale).optional();
                    impact.schema().parameters().forEach(decimal::parameter);
                    builder.field(d + "_usd", decimal.build());
                }
                builder.field("drivers_detail", Schema.OPTIONAL_STRING_SCHEMA);
            } else if (f.name().equals("sources")) {
                builder.field("sources", Schema.OPTIONAL_STRING_SCHEMA);
            } else {
                builder.field(f.name(), f.schema());
            }
        }
        return builder.build();
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
        schemas.clear();
    }
}
