package dev.tokenledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OTLP/HTTP JSON trace exports ({@code ExportTraceServiceRequest}: {@code resourceSpans} /
 * {@code scopeSpans} / {@code spans}), one document per body or per line (the collector's file
 * exporter writes JSON Lines). As the OTLP JSON mapping has it: 64-bit integers ({@code intValue},
 * the {@code *UnixNano} times) may be strings, trace and span ids are hex, never base64.
 */
final class OtlpJsonAdapter implements InputAdapter {

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");

    @Override
    public InputFormat format() {
        return InputFormat.OTLP_JSON;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        JsonInput.split(body, false, item -> request(item, keys, run), run::reject);
        return run.result();
    }

    private static void request(JsonInput.Item item, AttributionKeys keys, AdapterRun run) {
        JsonNode root = item.node();
        JsonNode resourceSpans = root.isObject() ? root.get("resourceSpans") : null;
        if (resourceSpans == null || !resourceSpans.isArray()) {
            run.reject(new Reject(resourceSpans == null ? RejectReason.UNDECODABLE : RejectReason.INVALID_TYPE, item.locator(),
                    "resourceSpans", "an OTLP trace export is an object with a resourceSpans array", item.raw()));
            return;
        }
        for (int r = 0; r < resourceSpans.size(); r++) {
            JsonNode rs = resourceSpans.get(r);
            String rsAt = item.locator() + " resourceSpans[" + r + "]";
            Map<String, Object> resource;
            try {
                JsonNode res = rs.isObject() ? Json.object(rs, "resource", "resource") : null;
                resource = res == null ? Map.of() : attributes(res.get("attributes"), "resource.attributes");
            } catch (RecordRejected e) {
                run.reject(new Reject(e.reason, rsAt, e.field, e.getMessage(), JsonInput.bytes(rs)));
                continue;
            }
            JsonNode scopeSpans = rs.get("scopeSpans");
            if (scopeSpans == null || scopeSpans.isNull()) continue;
            if (!scopeSpans.isArray()) {
                run.reject(new Reject(RejectReason.INVALID_TYPE, rsAt, "scopeSpans", "scopeSpans must be an array", JsonInput.bytes(rs)));
                continue;
            }
            for (int s = 0; s < scopeSpans.size(); s++) {
                JsonNode spans = scopeSpans.get(s).get("spans");
                if (spans == null || spans.isNull()) continue;
                String ssAt = rsAt + ".scopeSpans[" + s + "]";
                if (!spans.isArray()) {
                    run.reject(new Reject(RejectReason.INVALID_TYPE, ssAt, "spans", "spans must be an array", JsonInput.bytes(scopeSpans.get(s))));
                    continue;
                }
                for (int i = 0; i < spans.size(); i++) {
                    JsonNode span = spans.get(i);
                    String at = ssAt + ".spans[" + i + "]";
                    run.map(at, JsonInput.bytes(span), () -> GenAiSpans.toEvent(view(span, at, resource), InputFormat.OTLP_JSON, keys));
                }
            }
        }
    }

    private static SpanView view(JsonNode span, String at, Map<String, Object> resource) {
        if (!span.isObject()) throw Json.wrongType("span", span, "an object");
        String operation = operation(span.get("attributes"));
        if (operation == null || !GenAiSpans.CALLS.contains(operation)) {
            // not a model call: ignored before anything else of it is judged (an HTTP span's odd attribute is not our business)
            return new SpanView(at, resource, Map.of(), null, null, 0, 0, 0, null);
        }
        Map<String, Object> attrs = attributes(span.get("attributes"), "attributes");
        String traceId = id(span, "traceId", TRACE_ID, 32);
        String spanId = id(span, "spanId", SPAN_ID, 16);
        JsonNode status = Json.object(span, "status", "status");
        int code = 0;
        if (status != null && Json.present(status, "code")) {
            JsonNode c = status.get("code");
            code = c.isTextual() ? switch (c.asText()) {
                case "STATUS_CODE_ERROR" -> 2;
                case "STATUS_CODE_OK" -> 1;
                default -> 0;
            } : (int) Json.countValue(c, "status.code", false);
        }
        return new SpanView(at, resource, attrs, traceId, spanId, nanos(span, "startTimeUnixNano"), nanos(span, "endTimeUnixNano"),
                code, Json.text(span, "name", "name"));
    }

    private static String id(JsonNode span, String field, Pattern hex, int digits) {
        String v = Json.requiredText(span, field, field);
        if (!hex.matcher(v).matches()) {
            throw new RecordRejected(RejectReason.UNKNOWN_ENCODING, field,
                    field + " '" + Json.abbreviate(v) + "' is not " + digits + " hex digits (OTLP JSON writes ids in hex, not base64)");
        }
        return v.toLowerCase(java.util.Locale.ROOT);
    }

    private static long nanos(JsonNode span, String field) {
        Long v = Json.count(span, field, field, true);
        return v == null ? 0 : v;
    }

    /** The span's {@code gen_ai.operation.name} string, read leniently, or null. */
    private static String operation(JsonNode list) {
        if (list == null || !list.isArray()) return null;
        for (JsonNode kv : list) {
            JsonNode key = kv.get("key");
            JsonNode value = kv.get("value");
            if (key != null && "gen_ai.operation.name".equals(key.asText()) && value != null && value.path("stringValue").isTextual()) {
                return value.get("stringValue").asText();
            }
        }
        return null;
    }

    /** An OTLP {@code KeyValue} list as a map; kvlist and bytes values are skipped (no GenAI field uses them). */
    static Map<String, Object> attributes(JsonNode list, String path) {
        if (list == null || list.isNull()) return Map.of();
        if (!list.isArray()) throw Json.wrongType(path, list, "an array of key/value objects");
        Map<String, Object> out = new HashMap<>();
        for (JsonNode kv : list) {
            String key = kv.isObject() ? Json.text(kv, "key", path + "[].key") : null;
            JsonNode value = kv.isObject() ? kv.get("value") : null;
            if (key == null || value == null || !value.isObject()) continue;
            Object v = value(value, key);
            if (v != null) out.put(key, v);
        }
        return out;
    }

    private static Object value(JsonNode value, String key) {
        if (value.has("stringValue")) return Json.text(value, "stringValue", key);
        if (value.has("intValue")) {
            JsonNode i = value.get("intValue");
            if (i.isTextual()) {
                try {
                    return new BigInteger(i.asText().trim()).longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new RecordRejected(RejectReason.INVALID_VALUE, key, key + " intValue '" + Json.abbreviate(i.asText()) + "' is not a 64-bit integer");
                }
            }
            return Json.countValue(i, key, false);
        }
        if (value.has("doubleValue")) return Json.decimal(value, "doubleValue", key);
        if (value.has("boolValue")) {
            JsonNode b = value.get("boolValue");
            if (!b.isBoolean()) throw Json.wrongType(key, b, "a boolean");
            return b.asBoolean();
        }
        if (value.has("arrayValue")) {
            List<Object> items = new ArrayList<>();
            JsonNode values = value.get("arrayValue").get("values");
            if (values != null && values.isArray()) {
                for (JsonNode v : values) {
                    Object o = v.isObject() ? value(v, key) : null;
                    if (o != null) items.add(o);
                }
            }
            return items;
        }
        return null;
    }
}
