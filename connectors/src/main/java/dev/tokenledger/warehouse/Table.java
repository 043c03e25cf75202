package dev.tokenledger.warehouse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A report's answer: column names and rows of strings. Amounts are exact decimal strings (never a double on the
 * way); a SQL NULL is a null cell. {@code notes} are sentences about the rows (the tasks report's model comparisons),
 * printed under a text table and kept in JSON; CSV holds the rows only.
 */
public record Table(String title, List<String> columns, List<List<String>> rows, List<String> notes) {

    public Table(String title, List<String> columns, List<List<String>> rows) {
        this(title, columns, rows, List.of());
    }

    public Table {
        Objects.requireNonNull(title, "title");
        notes = notes == null ? List.of() : List.copyOf(notes);
        columns = List.copyOf(columns);
        List<List<String>> copied = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException(
                        "row has " + row.size() + " cells, table " + title + " has " + columns.size() + " columns");
            }
            // Not List.copyOf: cells may be null.
            copied.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copied);
    }

    /** The same rows with these notes. */
    public Table withNotes(List<String> value) {
        return new Table(title, columns, rows, value);
    }

    /** The cell in {@code row} under {@code column}. */
    public String cell(int row, String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return rows.get(row).get(index);
    }

    /** All cells of one column, top to bottom. */
    public List<String> column(String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        List<String> values = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            values.add(row.get(index));
        }
        return Collections.unmodifiableList(values);
    }
}
