package dev.tokenledger.ingest;

import dev.tokenledger.validate.Violation;
import java.util.Locale;

/**
 * Why an adapter could not turn a record into a usage event. The codes are the validate stage's
 * {@link Violation} codes plus the ones only a foreign format can have; they are what a dead letter's
 * {@code reason} and the CLI's error lines carry (docs/ingest.md lists them).
 */
public enum RejectReason {
    /** Not JSON / not protobuf at all, or not the document shape the format has (an array where an object belongs). */
    UNDECODABLE,
    /** Bytes in an encoding the adapter does not read: not UTF-8, compressed, base64 where hex belongs, a data content type other than JSON. */
    UNKNOWN_ENCODING,
    /** A field the event needs is absent, null or blank. */
    MISSING_FIELD,
    /** A field has the wrong type (a string where a number belongs, a fraction where a count belongs). */
    INVALID_TYPE,
    /** A field has the right type but a value outside its domain (bad timestamp, unsupported spec version, count overflow). */
    INVALID_VALUE,
    /** The record is a model call but carries no token usage to price. */
    MISSING_USAGE,
    /** A token count is below zero after conversion. */
    NEGATIVE_COUNT,
    /** After conversion a token subset exceeds its total (cache reads above input, reasoning above output). */
    SUBSET_EXCEEDS_TOTAL,
    /** The body or record is larger than the adapter accepts. */
    TOO_LARGE;

    /** The machine-readable code: {@code missing_usage}, {@code unknown_encoding}, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason for one of the validate stage's violation codes; codes it does not know are {@link #INVALID_VALUE}. */
    public static RejectReason of(Violation v) {
        for (RejectReason r : values()) {
            if (r.code().equals(v.reason())) {
                return r;
            }
        }
        return INVALID_VALUE;
    }
}
