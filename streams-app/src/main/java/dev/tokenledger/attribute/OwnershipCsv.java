package dev.tokenledger.attribute;

import dev.tokenledger.avro.Ownership;
import dev.tokenledger.csv.CsvLineError;
import dev.tokenledger.csv.CsvParseResult;
import dev.tokenledger.csv.CsvTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ownership registry as a CSV file ({@code examples/ownership.csv}), one row per surface:
 * {@code key_type,key,feature,team,cost_center,product_line,owner}. A {@code feature} row names a
 * feature (its key repeated in the feature column); an {@code api_key} row maps a gateway API key
 * to the feature it serves, the fallback when events carry no feature tag. Each row becomes an
 * {@link Ownership} record on {@code llm.ownership.v1} under {@link #recordKey}.
 */
public final class OwnershipCsv {

    public static final List<String> COLUMNS =
            List.of("key_type", "key", "feature", "team", "cost_center", "product_line", "owner");

    private OwnershipCsv() {
    }

    public static CsvParseResult<Ownership> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static CsvParseResult<Ownership> parse(String csv) {
        CsvTable.Rows table = CsvTable.read(csv, COLUMNS);
        List<CsvLineError> errors = new ArrayList<>(table.errors());
        List<Ownership> rows = new ArrayList<>();
        Map<String, Integer> firstLineByKey = new HashMap<>();
        for (CsvTable.Row row : table.rows()) {
            List<CsvLineError> rowErrors = check(row);
            if (!rowErrors.isEmpty()) {
                errors.addAll(rowErrors);
                continue;
            }
            Ownership ownership = Ownership.newBuilder()
                    .setKeyType(row.get("key_type"))
                    .setKey(row.get("key"))
                    .setFeature(row.get("feature"))
                    .setTeam(row.get("team"))
                    .setCostCenter(row.optional("cost_center"))
                    .setProductLine(row.optional("product_line"))
                    .setOwner(row.optional("owner"))
                    .build();
            String key = recordKey(ownership);
            Integer firstLine = firstLineByKey.putIfAbsent(key, row.line());
            if (firstLine != null) {
                errors.add(new CsvLineError(row.line(), "key", CsvLineError.DUPLICATE_KEY,
                        key + " is already defined on line " + firstLine));
                continue;
            }
            rows.add(ownership);
        }
        errors.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new CsvParseResult<>(rows, errors);
    }

    /** The record key on llm.ownership.v1: {@code feature:search}, {@code api_key:k-123}. */
    public static String recordKey(Ownership ownership) {
        return ownership.getKeyType() + ":" + ownership.getKey();
    }

    private static List<CsvLineError> check(CsvTable.Row row) {
        List<CsvLineError> errors = new ArrayList<>(0);
        String keyType = row.get("key_type");
        if (keyType.isEmpty()) {
            errors.add(missing(row, "key_type"));
        } else if (!keyType.equals("feature") && !keyType.equals("api_key")) {
            errors.add(new CsvLineError(row.line(), "key_type", CsvLineError.INVALID_VALUE,
                    "key_type '" + keyType + "' is not feature or api_key"));
        }
        for (String required : List.of("key", "feature", "team")) {
            if (row.get(required).isEmpty()) {
                errors.add(missing(row, required));
            }
        }
        if (keyType.equals("feature") && !row.get("key").isEmpty() && !row.get("feature").isEmpty()
                && !row.get("key").equals(row.get("feature"))) {
            errors.add(new CsvLineError(row.line(), "feature", CsvLineError.INVALID_VALUE,
                    "a feature row repeats its key in the feature column: key '" + row.get("key")
                            + "', feature '" + row.get("feature") + "'"));
        }
        return errors;
    }

    private static CsvLineError missing(CsvTable.Row row, String column) {
        return new CsvLineError(row.line(), column, CsvLineError.MISSING_FIELD, column + " is required");
    }
}
