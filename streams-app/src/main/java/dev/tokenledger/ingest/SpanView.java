package dev.tokenledger.ingest;

import java.util.Map;

/**
 * One OTLP span as the GenAI mapping needs it, read from OTLP JSON or protobuf alike. Attribute
 * values are String, Long, BigDecimal (doubles, by their text), Boolean or a List of those.
 *
 * @param statusCode OTLP {@code Status.code}: 0 unset, 1 ok, 2 error
 */
record SpanView(String locator, Map<String, Object> resource, Map<String, Object> attributes, String traceId, String spanId,
                long startNanos, long endNanos, int statusCode, String name) {
}
