package dev.tokenledger.generator;

/** The ways a generated raw JSON payload is broken; each must end on the dead-letter topic. */
public enum MalformedKind {
    /** Cut off mid-object, as when a producer dies while writing: not JSON at all. */
    TRUNCATED_JSON,
    /** Valid JSON without the dedupe key. */
    MISSING_REQUEST_ID,
    /** A token count below zero. */
    NEGATIVE_TOKENS,
    /** More cache-read tokens than input tokens: a subset larger than its total. */
    CACHE_READ_EXCEEDS_INPUT,
    /** More reasoning tokens than output tokens: a subset larger than its total. */
    REASONING_EXCEEDS_OUTPUT,
    /** An event time ten years ahead, as from a gateway with a broken clock. */
    TIMESTAMP_FAR_IN_FUTURE,
    /** A token count that is a string of words instead of a number. */
    WRONG_FIELD_TYPE
}
