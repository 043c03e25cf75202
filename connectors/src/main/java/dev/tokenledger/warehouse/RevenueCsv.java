package dev.tokenledger.warehouse;

import dev.tokenledger.money.PlainDecimal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Loads finance's revenue per feature and month ({@code feature,month,revenue_usd}) into {@code feature_revenue}.
 * A month is {@code YYYY-MM} or its first day {@code YYYY-MM-01}; revenue is a plain decimal with at most 12
 * decimals ({@link PlainDecimal}). All or nothing: a file with any bad line loads no line, and every bad line is reported.
 * A (feature, month) already loaded is replaced, so a corrected file can simply be loaded again; so is the demo's
 * generated revenue for it, and the row is finance's from then on (V61).
 */
public final class RevenueCsv {

    static final List<String> HEADER = List.of("feature", "month", "revenue_usd");

    private RevenueCsv() {
    }

    /** One revenue figure. */
    public record Revenue(String feature, YearMonth month, BigDecimal revenueUsd) {
    }

    /** A line that was not loaded, with the 1-based line number and a machine-readable reason. */
    public record Rejection(int line, String reason, String detail) {
    }

    /** What a load did: the rows upserted, or the rejections that stopped it. */
    public record LoadResult(List<Revenue> loaded, List<Rejection> rejections) {

        public LoadResult {
            loaded = List.copyOf(loaded);
            rejections = List.copyOf(rejections);
        }

        public boolean ok() {
            return rejections.isEmpty();
        }
    }

    /** The parsed file: valid rows and rejected lines. */
    public record Parsed(List<Revenue> rows, List<Rejection> rejections) {
    }

    public static LoadResult load(Reader csv, DataSource dataSource) throws IOException {
        Parsed parsed = parse(csv);
        if (!parsed.rejections().isEmpty()) {
            return new LoadResult(List.of(), parsed.rejections());
        }
        upsert(parsed.rows(), dataSource);
        return new LoadResult(parsed.rows(), List.of());
    }

    /** Validates a file without loading it: every row, or every bad line with its reason (e.g. for a dry run). */
    public static Parsed parse(Reader csv) throws IOException {
        List<Revenue> rows = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        BufferedReader reader = new BufferedReader(csv);
        String line = reader.readLine();
        if (line == null || !CsvLine.split(stripBom(line)).stream().map(String::trim).toList().equals(HEADER)) {
            rejections.add(new Rejection(1, "bad_header", "expected header " + String.join(",", HEADER)));
            return new Parsed(rows, rejections);
        }
        int number = 1;
        java.util.Set<String> seen = new java.util.HashSet<>();
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            List<String> cells;
            try {
                cells = CsvLine.split(line);
            } catch (IllegalArgumentException e) {
                rejections.add(new Rejection(number, "bad_quoting", e.getMessage()));
                continue;
            }
            if (cells.size() != HEADER.size()) {
                rejections.add(new Rejection(number, "wrong_field_count",
                        "expected " + HEADER.size() + " fields, found " + cells.size()));
                continue;
            }
            String feature = cells.get(0).trim();
            if (feature.isEmpty()) {
                rejections.add(new Rejection(number, "missing_feature", "feature is empty"));
                continue;
            }
            YearMonth month;
            try {
                month = parseMonth(cells.get(1).trim());
            } catch (DateTimeParseException | IllegalArgumentException e) {
                rejections.add(new Rejection(number, "bad_month", "month must be YYYY-MM or YYYY-MM-01: " + cells.get(1)));
                continue;
            }
            BigDecimal revenue;
            try {
                // Negative revenue is allowed: a month of refunds can net below zero.
                revenue = PlainDecimal.parseMoney("revenue_usd", cells.get(2), true);
            } catch (PlainDecimal.Invalid e) {
                rejections.add(new Rejection(number, switch (e.problem()) {
                    case TOO_MANY_DECIMALS -> "too_many_decimals";
                    case TOO_LARGE -> "amount_too_large";
                    case NOT_PLAIN, NEGATIVE -> "bad_amount";
                }, e.getMessage()));
                continue;
            }
            if (!seen.add(feature + "\u0000" + month)) {
                rejections.add(new Rejection(number, "duplicate", "feature " + feature + " appears twice for " + month));
                continue;
            }
            rows.add(new Revenue(feature, month, revenue));
        }
        return new Parsed(rows, rejections);
    }

    private static YearMonth parseMonth(String text) {
        if (text.length() == 7) {
            return YearMonth.parse(text);
        }
        LocalDate date = LocalDate.parse(text);
        if (date.getDayOfMonth() != 1) {
            throw new IllegalArgumentException("not the first day of a month");
        }
        return YearMonth.from(date);
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static void upsert(List<Revenue> rows, DataSource dataSource) {
        String sql = """
                insert into feature_revenue (feature, month, revenue_usd, source) values (?, ?, ?, 'finance')
                on conflict (feature, month) do update set revenue_usd = excluded.revenue_usd, source = excluded.source""";
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (Revenue row : rows) {
                    statement.setString(1, row.feature());
                    statement.setObject(2, row.month().atDay(1));
                    statement.setBigDecimal(3, row.revenueUsd());
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot load feature revenue: " + e.getMessage(), e);
        }
    }
}
