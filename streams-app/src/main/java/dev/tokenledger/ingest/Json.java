package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.money.PlainDecimal;
import dev.tokenledger.validate.Rfc3339;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/** Typed reads from a JSON tree that reject the record (a {@link RecordRejected}) instead of guessing. */
final class Json {

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private Json() {
    }

    static boolean present(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && !n.isNull();
    }

    static JsonNode object(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(path, n, "an object");
        }
        return n;
    }

    static String text(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(path, n, "a string");
        }
        return n.asText();
    }

    static String requiredText(JsonNode parent, String field, String path) {
        String s = text(parent, field, path);
        if (s == null || s.isBlank()) {
            throw new RecordRejected(RejectReason.MISSING_FIELD, path, path + " is required");
        }
        return s;
    }

    /** A string, or the text of a number (ids some sources write as numbers). */
    static String idText(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n != null && n.isIntegralNumber()) {
            return n.asText();
        }
        return text(parent, field, path);
    }

    /** A token count: a JSON integer (with {@code allowStrings}, also a string of digits, as OTLP JSON writes 64-bit integers). */
    static Long count(JsonNode parent, String field, String path, boolean allowStrings) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        return countValue(n, path, allowStrings);
    }

    static long countValue(JsonNode n, String path, boolean allowStrings) {
        BigInteger v;
        if (n.isIntegralNumber()) {
            v = n.bigIntegerValue();
        } else if (n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0) {
            v = n.decimalValue().toBigIntegerExact(); // 12.0: a count written by a float-minded exporter
        } else if (allowStrings && n.isTextual()) {
            try {
                v = new BigInteger(n.asText().trim());
            } catch (NumberFormatException e) {
                throw new RecordRejected(RejectReason.INVALID_TYPE, path, path + " must be an integer, not '" + abbreviate(n.asText()) + "'");
            }
        } else {
            throw wrongType(path, n, "an integer");
        }
        if (v.compareTo(LONG_MAX) > 0 || v.compareTo(LONG_MIN) < 0) {
            throw new RecordRejected(RejectReason.INVALID_VALUE, path, path + " " + v + " does not fit a 64-bit integer");
        }
        return v.longValue();
    }

    static long countOrZero(JsonNode parent, String field, String path) {
        Long v = count(parent, field, path, false);
        return v == null ? 0 : v;
    }

    /** A decimal from a JSON number or string, read from its text. */
    static BigDecimal decimal(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isTextual()) {
            try {
                return new BigDecimal(n.asText().trim());
            } catch (NumberFormatException e) {
                throw new RecordRejected(RejectReason.INVALID_VALUE, path, path + " '" + abbreviate(n.asText()) + "' is not a decimal");
            }
        }
        throw wrongType(path, n, "a number");
    }

    /**
     * A cost some source computed in floating point ({@code 0.00021000000000000001}): held at the money
     * scale, rounded half-even once. It is the provider-reported cost, never what tokenledger charges.
     */
    static BigDecimal reportedCost(BigDecimal value) {
        return value == null ? null : value.setScale(PlainDecimal.MONEY_SCALE, RoundingMode.HALF_EVEN);
    }

    /** An instant from an RFC 3339 string, or from epoch seconds (a number, possibly fractional). */
    static Long epochMillis(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return seconds(n.decimalValue(), path);
        }
        if (n.isTextual()) {
            long ms = Rfc3339.parseEpochMillis(n.asText().trim());
            if (ms == Rfc3339.INVALID) {
                throw new RecordRejected(RejectReason.INVALID_VALUE, path,
                        path + " '" + abbreviate(n.asText()) + "' is not an RFC 3339 date-time such as 2026-11-02T10:15:30.123Z");
            }
            return ms;
        }
        throw wrongType(path, n, "an RFC 3339 string or epoch seconds");
    }

    static long seconds(BigDecimal seconds, String path) {
        try {
            return seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException e) {
            throw new RecordRejected(RejectReason.INVALID_VALUE, path, path + " " + seconds.toPlainString() + " is out of range");
        }
    }

    /** Every string (and number, and boolean) directly under {@code node}, as {@code prefix + key}. */
    static void flatten(JsonNode node, String prefix, Map<String, String> into) {
        if (node == null || !node.isObject()) {
            return;
        }
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                into.put(prefix + e.getKey(), v.asText());
            }
        });
    }

    static RecordRejected wrongType(String path, JsonNode n, String expected) {
        return new RecordRejected(RejectReason.INVALID_TYPE, path, path + " must be " + expected + ", not " + describe(n));
    }

    static RecordRejected missing(String path, String detail) {
        return new RecordRejected(RejectReason.MISSING_FIELD, path, detail);
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isIntegralNumber()) return "an integer";
        if (n.isNumber()) return "a fractional number";
        if (n.isBoolean()) return "a boolean";
        if (n.isObject()) return "an object";
        if (n.isArray()) return "an array";
        return "null";
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
