package dev.tokenledger.invoice;

import java.util.List;

/** A file that yields no lines at all: every problem found in it, each placed by line or item. */
public final class InvalidInvoiceException extends Exception {

    private final transient List<InvoiceError> errors;

    InvalidInvoiceException(List<InvoiceError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
    }

    public List<InvoiceError> errors() {
        return errors;
    }

    private static String describe(List<InvoiceError> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(errors.size() == 1 ? " error" : " errors").append(" (nothing read):");
        errors.forEach(e -> sb.append(System.lineSeparator()).append("  ").append(e));
        return sb.toString();
    }
}
