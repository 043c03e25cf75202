package dev.tokenledger.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;

/** Writes a {@link Table} as aligned text, CSV or JSON. */
public final class TableRenderer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final String NEWLINE = "\n";

    private TableRenderer() {
    }

    public static String render(Table table, TableFormat format) {
        return switch (format) {
            case TABLE -> text(table);
            case CSV -> csv(table);
            case JSON -> json(table);
        };
    }

    /** Columns padded to their widest cell; numeric columns right-aligned so decimal points line up by scale. */
    static String text(Table table) {
        int columns = table.columns().size();
        int[] widths = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = table.columns().get(c).length();
            numeric[c] = !table.rows().isEmpty();
        }
        for (List<String> row : table.rows()) {
            for (int c = 0; c < columns; c++) {
                String cell = textCell(row.get(c));
                widths[c] = Math.max(widths[c], cell.length());
                if (row.get(c) != null && !NUMBER.matcher(cell).matches()) {
                    numeric[c] = false;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, table.columns(), widths, numeric);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < columns; c++) {
            if (c > 0) {
                rule.append("  ");
            }
            rule.append("-".repeat(widths[c]));
        }
        out.append(rule).append(NEWLINE);
        for (List<String> row : table.rows()) {
            appendLine(out, row, widths, numeric);
        }
        out.append('(').append(table.rows().size()).append(table.rows().size() == 1 ? " row)" : " rows)").append(NEWLINE);
        for (String note : table.notes()) {
            out.append(note).append(NEWLINE);
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] widths, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String cell = textCell(cells.get(c));
            String padding = " ".repeat(widths[c] - cell.length());
            line.append(rightAligned[c] ? padding + cell : cell + padding);
        }
        out.append(line.toString().stripTrailing()).append(NEWLINE);
    }

    private static String textCell(String value) {
        return value == null ? "" : value;
    }

    static String csv(Table table) {
        StringBuilder out = new StringBuilder();
        csvLine(out, table.columns());
        for (List<String> row : table.rows()) {
            csvLine(out, row);
        }
        return out.toString();
    }

    private static void csvLine(StringBuilder out, List<String> cells) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                out.append(',');
            }
            out.append(csvCell(cells.get(c)));
        }
        out.append("\r\n");
    }

    private static String csvCell(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    static String json(Table table) {
        ObjectNode root = JSON.createObjectNode();
        root.put("report", table.title());
        ArrayNode columns = root.putArray("columns");
        table.columns().forEach(columns::add);
        ArrayNode rows = root.putArray("rows");
        for (List<String> row : table.rows()) {
            ObjectNode object = rows.addObject();
            for (int c = 0; c < row.size(); c++) {
                object.put(table.columns().get(c), row.get(c));
            }
        }
        if (!table.notes().isEmpty()) {
            ArrayNode notes = root.putArray("notes");
            table.notes().forEach(notes::add);
        }
        try {
            return JSON.writeValueAsString(root) + NEWLINE;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
