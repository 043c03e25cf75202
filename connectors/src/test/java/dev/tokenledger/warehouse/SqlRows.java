package dev.tokenledger.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Test helper: runs a query and returns rows as column -> exact text (the same text the reports print). Shared with
 * streams-app's tests through this module's test-jar.
 */
public final class SqlRows {

    private SqlRows() {
    }

    public static List<Map<String, String>> query(DataSource dataSource, String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                List<Map<String, String>> rows = new ArrayList<>();
                while (result.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), Reports.cellText(result.getObject(c)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static String single(DataSource dataSource, String sql, Object... parameters) {
        List<Map<String, String>> rows = query(dataSource, sql, parameters);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }

    /** The first column of every row, as text. */
    public static List<String> column(DataSource dataSource, String sql, Object... parameters) {
        return query(dataSource, sql, parameters).stream().map(row -> row.values().iterator().next()).toList();
    }
}
