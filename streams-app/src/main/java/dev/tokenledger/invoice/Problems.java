package dev.tokenledger.invoice;

import java.util.ArrayList;
import java.util.List;

/** Collects a file's problems so that one pass reports them all; any problem makes the file yield nothing. */
final class Problems {

    private final String file;
    private final List<InvoiceError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void atLine(int line, String message) {
        errors.add(InvoiceError.atLine(file, line, message));
    }

    void atItem(String item, String message) {
        errors.add(InvoiceError.atItem(file, item, message));
    }

    void inFile(String message) {
        errors.add(InvoiceError.inFile(file, message));
    }

    int count() {
        return errors.size();
    }

    boolean any() {
        return !errors.isEmpty();
    }

    void throwIfAny() throws InvalidInvoiceException {
        if (any()) {
            throw new InvalidInvoiceException(errors);
        }
    }
}
