package dev.tokenledger.schemas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * BACKWARD compatibility of a schema change: consumers on the new schema must still read every
 * record written with the old one. Avro's reader/writer check decides, with the new schema as
 * reader and the old as writer; on top of it a field added to any record (also nested) must carry
 * a default, which is what lets a new reader fill it in for old records.
 */
final class BackwardCompatibility {

    private BackwardCompatibility() {
    }

    /** Why {@code newSchema} cannot read data written with {@code oldSchema}; empty when it can. */
    static List<String> problems(Schema newSchema, Schema oldSchema) {
        List<String> problems = new ArrayList<>();
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(newSchema, oldSchema);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
                problems.add(incompatibility.getType() + " at " + incompatibility.getLocation()
                        + ": " + incompatibility.getMessage());
            }
        }
        Map<String, Schema> oldRecords = new HashMap<>();
        collectRecords(oldSchema, oldRecords, new HashSet<>());
        Map<String, Schema> newRecords = new HashMap<>();
        collectRecords(newSchema, newRecords, new HashSet<>());
        newRecords.forEach((fullName, newRecord) -> {
            Schema oldRecord = oldRecords.get(fullName);
            if (oldRecord != null) {
                addedFieldsWithoutDefault(newRecord, oldRecord).forEach(field ->
                        problems.add("new field " + fullName + "." + field + " has no default"));
            }
        });
        return problems;
    }

    private static List<String> addedFieldsWithoutDefault(Schema newRecord, Schema oldRecord) {
        List<String> missing = new ArrayList<>();
        for (Schema.Field field : newRecord.getFields()) {
            if (!existedBefore(field, oldRecord) && !field.hasDefaultValue()) {
                missing.add(field.name());
            }
        }
        return missing;
    }

    /** A renamed field keeps its data when the new field lists the old name as an alias. */
    private static boolean existedBefore(Schema.Field field, Schema oldRecord) {
        if (oldRecord.getField(field.name()) != null) {
            return true;
        }
        return field.aliases().stream().anyMatch(alias -> oldRecord.getField(alias) != null);
    }

    private static void collectRecords(Schema schema, Map<String, Schema> records, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    records.put(schema.getFullName(), schema);
                    schema.getFields().forEach(f -> collectRecords(f.schema(), records, seen));
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectRecords(t, records, seen));
            case ARRAY -> collectRecords(schema.getElementType(), records, seen);
            case MAP -> collectRecords(schema.getValueType(), records, seen);
            default -> {
                // primitives, enums and fixed hold no fields
            }
        }
    }
}
