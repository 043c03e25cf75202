package dev.tokenledger.ingest;

import java.util.Objects;

/**
 * One record an adapter refused, with where it was and why.
 *
 * @param reason   machine-readable reason
 * @param locator  where in the input: {@code line 3}, {@code item 2}, {@code resourceSpans[0].scopeSpans[1].spans[4]}
 * @param field    the offending field in the source's own naming, or null when no single field is to blame
 * @param detail   a sentence for a person
 * @param original the record's own bytes when they can be cut out of the input (a line, an element), else null
 */
public record Reject(RejectReason reason, String locator, String field, String detail, byte[] original) {

    public Reject {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(locator, "locator");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code line 3: field 'usage': missing_usage: ...}, the form the CLI prints. */
    public String describe() {
        return locator + ": " + (field == null ? "" : "field '" + field + "': ") + reason.code() + ": " + detail;
    }
}
