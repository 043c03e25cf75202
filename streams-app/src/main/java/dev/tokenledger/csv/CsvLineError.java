package dev.tokenledger.csv;

/**
 * One problem in a reference-data CSV file, reported instead of thrown so a whole file can be
 * checked in one pass.
 *
 * @param line   1-based line where the offending record starts
 * @param field  the column to blame, or null for a problem with the whole record
 * @param reason machine-readable: malformed, missing_column, wrong_column_count, missing_field,
 *               invalid_value, duplicate_key
 * @param detail a sentence for the person fixing the file
 */
public record CsvLineError(int line, String field, String reason, String detail) {

    public static final String MALFORMED = "malformed";
    public static final String MISSING_COLUMN = "missing_column";
    public static final String WRONG_COLUMN_COUNT = "wrong_column_count";
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String DUPLICATE_KEY = "duplicate_key";

    @Override
    public String toString() {
        return "line " + line + (field == null ? "" : " [" + field + "]") + ": " + reason + ": " + detail;
    }
}
