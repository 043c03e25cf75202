package dev.tokenledger.csv;

import java.util.List;

/**
 * The valid rows of a reference-data CSV file, in file order, and an error per rejected line.
 * A row with any error is left out; the others are still usable.
 */
public record CsvParseResult<T>(List<T> rows, List<CsvLineError> errors) {

    public CsvParseResult {
        rows = List.copyOf(rows);
        errors = List.copyOf(errors);
    }
}
