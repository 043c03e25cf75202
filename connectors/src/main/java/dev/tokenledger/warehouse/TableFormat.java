package dev.tokenledger.warehouse;

import java.util.Locale;

/** How a {@link Table} is written out. */
public enum TableFormat {
    /** Aligned text for a terminal. */
    TABLE,
    /** RFC 4180 CSV with a header line. */
    CSV,
    /** One JSON object: report title, columns, rows as objects; every value a string or null, so amounts stay exact. */
    JSON;

    /** Parses {@code table}, {@code csv} or {@code json}, any case. */
    public static TableFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + text + "', expected table, csv or json", e);
        }
    }
}
