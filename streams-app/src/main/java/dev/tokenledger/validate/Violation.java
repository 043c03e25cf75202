package dev.tokenledger.validate;

import java.util.Objects;

/**
 * Why an input record is not a valid usage event: what the DLQ record carries.
 *
 * @param reason machine-readable code, one of the constants of this class
 * @param field  the offending field, or null when no single field is to blame
 * @param detail a sentence for a person reading the DLQ
 */
public record Violation(String reason, String field, String detail) {

    /** Not JSON / not Avro at all, or not an object. */
    public static final String UNDECODABLE = "undecodable";
    /** A required field is absent, null or blank. */
    public static final String MISSING_FIELD = "missing_field";
    /** A field has the wrong JSON type (a string where a number belongs, a fraction where an integer belongs). */
    public static final String INVALID_TYPE = "invalid_type";
    /** A field has the right type but a value outside its domain (unknown status, negative cost, bad timestamp). */
    public static final String INVALID_VALUE = "invalid_value";
    /** A token or call count is below zero. */
    public static final String NEGATIVE_COUNT = "negative_count";
    /** A token subset is larger than the total that includes it (cache reads above input, reasoning above output). */
    public static final String SUBSET_EXCEEDS_TOTAL = "subset_exceeds_total";
    /** The event time is further ahead of the clock than the allowed skew. */
    public static final String FUTURE_TIMESTAMP = "future_timestamp";
    /** The event time is older than the configured maximum age. */
    public static final String TOO_OLD = "too_old";
    /** The record is larger than any usage event can be. */
    public static final String TOO_LARGE = "too_large";

    public Violation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
