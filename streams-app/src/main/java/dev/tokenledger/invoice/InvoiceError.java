package dev.tokenledger.invoice;

/**
 * One problem in an invoice file, placed where the person fixing it will look: a CSV line
 * ({@code focus.csv:17: BilledCost missing}), a JSON item path
 * ({@code invoice.json: item data[3].results[1]: amount "12x" is not a decimal}) or the whole file.
 *
 * @param file    the file's name
 * @param line    1-based CSV line, or null
 * @param item    JSON path of the item such as {@code data[3].results[1]}, or null
 * @param message what is wrong, quoting the offending value
 */
public record InvoiceError(String file, Integer line, String item, String message) {

    static InvoiceError atLine(String file, int line, String message) {
        return new InvoiceError(file, line, null, message);
    }

    static InvoiceError atItem(String file, String item, String message) {
        return new InvoiceError(file, null, item, message);
    }

    static InvoiceError inFile(String file, String message) {
        return new InvoiceError(file, null, null, message);
    }

    @Override
    public String toString() {
        if (line != null) {
            return file + ":" + line + ": " + message;
        }
        if (item != null) {
            return file + ": item " + item + ": " + message;
        }
        return file + ": " + message;
    }
}
