package dev.tokenledger.csv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small RFC 4180 reader for the reference-data files (ownership, budgets): comma-separated,
 * fields optionally in double quotes (which may hold commas, doubled quotes and line breaks),
 * CRLF or LF line ends. Lenient where hand-edited files differ: a UTF-8 byte-order mark, blank
 * lines and whitespace around fields are ignored. An optional header row names the columns (then
 * in any order; extra columns are ignored); without one the columns are positional.
 *
 * <p>Hand-written rather than a library because no CSV library is on the compile classpath
 * (commons-csv is absent; jackson-dataformat-csv arrives only as a runtime transitive of another
 * dependency), and these files need errors with line numbers rather than exceptions.
 */
public final class CsvTable {

    /** One data record: its 1-based starting line and its values by column name (trimmed, "" when empty). */
    public record Row(int line, Map<String, String> values) {
        public String get(String column) {
            return values.getOrDefault(column, "");
        }

        /** The value, or null when the cell is empty: optional fields in Avro are nullable. */
        public String optional(String column) {
            String value = get(column);
            return value.isEmpty() ? null : value;
        }
    }

    public record Rows(List<Row> rows, List<CsvLineError> errors) {
    }

    private record Record(int line, List<String> fields) {
    }

    private CsvTable() {
    }

    /** Rows of {@code text} for the expected {@code columns}; structural problems come back as errors. */
    public static Rows read(String text, List<String> columns) {
        List<CsvLineError> errors = new ArrayList<>();
        List<Record> records = new Parser(text, errors).records();
        List<Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return new Rows(rows, errors);
        }
        int[] positions;
        int width;
        int first = 0;
        Record head = records.get(0);
        if (isHeader(head, columns)) {
            first = 1;
            width = head.fields().size();
            positions = positionsByHeader(head, columns, errors);
            if (positions == null) {
                return new Rows(rows, errors);
            }
        } else {
            width = columns.size();
            positions = new int[columns.size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
        }
        for (Record record : records.subList(first, records.size())) {
            if (record.fields().size() != width) {
                errors.add(new CsvLineError(record.line(), null, CsvLineError.WRONG_COLUMN_COUNT,
                        "expected " + width + " columns (" + String.join(",", columns) + "), found " + record.fields().size()));
                continue;
            }
            Map<String, String> values = new HashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                values.put(columns.get(c), record.fields().get(positions[c]));
            }
            rows.add(new Row(record.line(), values));
        }
        return new Rows(rows, errors);
    }

    /**
     * Rows of a file whose first record is always its header, as exports write them (FOCUS): columns are
     * found by name, case-insensitively and in any order; every {@code required} column must be there, an
     * {@code optional} one may be absent (then "" in every row). Values are keyed by the names given here.
     */
    public static Rows readWithHeader(String text, List<String> required, List<String> optional) {
        List<CsvLineError> errors = new ArrayList<>();
        List<Record> records = new Parser(text, errors).records();
        List<Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            if (errors.isEmpty()) {
                errors.add(new CsvLineError(1, null, CsvLineError.MISSING_COLUMN, "the file is empty: no header row"));
            }
            return new Rows(rows, errors);
        }
        Record header = records.get(0);
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            byName.putIfAbsent(header.fields().get(i).toLowerCase(Locale.ROOT), i);
        }
        List<String> missing = required.stream().filter(c -> !byName.containsKey(c.toLowerCase(Locale.ROOT))).toList();
        if (!missing.isEmpty()) {
            errors.add(new CsvLineError(header.line(), String.join(",", missing), CsvLineError.MISSING_COLUMN,
                    "the header lacks column(s) " + missing));
            return new Rows(rows, errors);
        }
        List<String> columns = new ArrayList<>(required);
        columns.addAll(optional);
        int width = header.fields().size();
        for (Record record : records.subList(1, records.size())) {
            if (record.fields().size() != width) {
                errors.add(new CsvLineError(record.line(), null, CsvLineError.WRONG_COLUMN_COUNT,
                        "expected " + width + " columns as in the header, found " + record.fields().size()));
                continue;
            }
            Map<String, String> values = new HashMap<>();
            for (String column : columns) {
                Integer position = byName.get(column.toLowerCase(Locale.ROOT));
                values.put(column, position == null ? "" : record.fields().get(position));
            }
            rows.add(new Row(record.line(), values));
        }
        return new Rows(rows, errors);
    }

    /** A header is recognised by its first cell naming the first expected column. */
    private static boolean isHeader(Record record, List<String> columns) {
        return record.fields().get(0).toLowerCase(Locale.ROOT).equals(columns.get(0));
    }

    private static int[] positionsByHeader(Record header, List<String> columns, List<CsvLineError> errors) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            byName.putIfAbsent(header.fields().get(i).toLowerCase(Locale.ROOT), i);
        }
        int[] positions = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            Integer position = byName.get(columns.get(c));
            if (position == null) {
                missing.add(columns.get(c));
            } else {
                positions[c] = position;
            }
        }
        if (!missing.isEmpty()) {
            errors.add(new CsvLineError(header.line(), String.join(",", missing), CsvLineError.MISSING_COLUMN,
                    "the header lacks column(s) " + missing + "; expected " + String.join(",", columns)));
            return null;
        }
        return positions;
    }

    /** Splits text into records of trimmed fields, skipping blank lines. */
    private static final class Parser {
        private final String s;
        private final List<CsvLineError> errors;
        private int i;
        private int line = 1;

        Parser(String text, List<CsvLineError> errors) {
            this.s = text.startsWith("\uFEFF") ? text.substring(1) : text;
            this.errors = errors;
        }

        List<Record> records() {
            List<Record> records = new ArrayList<>();
            while (i < s.length()) {
                int recordLine = line;
                List<String> fields = record(recordLine);
                if (fields != null && !(fields.size() == 1 && fields.get(0).isEmpty())) {
                    records.add(new Record(recordLine, fields));
                }
            }
            return records;
        }

        /** One record up to and including its line end; null when it is malformed (already reported). */
        private List<String> record(int recordLine) {
            List<String> fields = new ArrayList<>();
            while (true) {
                skipSpaces();
                String field;
                if (i < s.length() && s.charAt(i) == '"') {
                    field = quoted();
                    if (field == null) {
                        errors.add(new CsvLineError(recordLine, null, CsvLineError.MALFORMED,
                                "a quoted field is not closed before the end of the file"));
                        return null;
                    }
                    skipSpaces();
                    if (i < s.length() && s.charAt(i) != ',' && !atLineEnd()) {
                        errors.add(new CsvLineError(recordLine, null, CsvLineError.MALFORMED,
                                "text after the closing quote of field " + (fields.size() + 1)));
                        skipToNextLine();
                        return null;
                    }
                    field = field.strip(); // whitespace around an id or a name is always a slip
                } else {
                    int start = i;
                    while (i < s.length() && s.charAt(i) != ',' && !atLineEnd()) {
                        i++;
                    }
                    field = s.substring(start, i).strip();
                }
                fields.add(field);
                if (i >= s.length()) {
                    return fields;
                }
                if (s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                consumeLineEnd();
                return fields;
            }
        }

        /** The content of a quoted field with doubled quotes undone; null when it never closes. */
        private String quoted() {
            StringBuilder out = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        out.append('"');
                        i += 2;
                        continue;
                    }
                    i++;
                    return out.toString();
                }
                if (c == '\n' || (c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n'))) {
                    line++;
                }
                out.append(c);
                i++;
            }
            return null;
        }

        private boolean atLineEnd() {
            char c = s.charAt(i);
            return c == '\n' || c == '\r';
        }

        private void consumeLineEnd() {
            if (s.charAt(i) == '\r') {
                i++;
                if (i < s.length() && s.charAt(i) == '\n') {
                    i++;
                }
            } else {
                i++;
            }
            line++;
        }

        private void skipSpaces() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private void skipToNextLine() {
            while (i < s.length() && !atLineEnd()) {
                i++;
            }
            if (i < s.length()) {
                consumeLineEnd();
            }
        }
    }
}
