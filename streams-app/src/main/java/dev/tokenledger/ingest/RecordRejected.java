package dev.tokenledger.ingest;

/** Thrown inside one adapter while mapping one record; caught per record and turned into a {@link Reject}. */
final class RecordRejected extends RuntimeException {

    final RejectReason reason;
    final String field;

    RecordRejected(RejectReason reason, String field, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    /** The first of the validate stage's violations, with the others named in the detail. */
    static RecordRejected of(java.util.List<dev.tokenledger.validate.Violation> violations) {
        dev.tokenledger.validate.Violation first = violations.get(0);
        StringBuilder detail = new StringBuilder(first.detail());
        for (int i = 1; i < violations.size(); i++) {
            detail.append(i == 1 ? " (also: " : "; ").append(violations.get(i).detail());
        }
        if (violations.size() > 1) {
            detail.append(')');
        }
        return new RecordRejected(RejectReason.of(first), first.field(), detail.toString());
    }
}
