package dev.tokenledger.ingest;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.ProviderNames;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenTelemetry GenAI client spans to usage events. A span is a model call when its
 * {@code gen_ai.operation.name} is one of {@link #CALLS}; every other span (HTTP, database, agent and
 * tool spans, whose usage would count the calls under them twice) is ignored and counted, not rejected.
 * OTel's {@code gen_ai.usage.input_tokens} already includes {@code gen_ai.usage.cache_read.input_tokens}
 * and {@code gen_ai.usage.cache_creation.input_tokens}, as ours does, so counts pass through unchanged.
 */
final class GenAiSpans {

    /** Operations that are one billed model call. */
    static final Set<String> CALLS = Set.of("chat", "text_completion", "generate_content", "embeddings");

    private GenAiSpans() {
    }

    /** The event, or null for a span that is not a GenAI client call. */
    static UsageEvent toEvent(SpanView s, InputFormat format, AttributionKeys keys) {
        Object operation = s.attributes().get("gen_ai.operation.name");
        if (!(operation instanceof String op) || !CALLS.contains(op)) {
            return null;
        }
        String provider = string(s, "gen_ai.provider.name");
        if (provider == null) provider = string(s, "gen_ai.system"); // the name before semantic conventions 1.37
        if (provider == null) throw Json.missing("gen_ai.provider.name", "gen_ai.provider.name (or gen_ai.system) is required");
        String requestModel = string(s, "gen_ai.request.model");
        String responseModel = string(s, "gen_ai.response.model");
        if (requestModel == null) requestModel = responseModel;
        if (requestModel == null) throw Json.missing("gen_ai.request.model", "gen_ai.request.model (or gen_ai.response.model) is required");
        Long input = count(s, "gen_ai.usage.input_tokens");
        Long output = count(s, "gen_ai.usage.output_tokens");
        if (input == null && output == null) {
            throw new RecordRejected(RejectReason.MISSING_USAGE, "gen_ai.usage.input_tokens",
                    "a " + op + " span without gen_ai.usage.input_tokens or gen_ai.usage.output_tokens: nothing to price");
        }
        if (input == null && (count(s, "gen_ai.usage.cache_read.input_tokens") != null
                || count(s, "gen_ai.usage.cache_creation.input_tokens") != null)) {
            // Cache counts are parts of the input total: without the total the uncached part is unknown.
            throw new RecordRejected(RejectReason.MISSING_USAGE, "gen_ai.usage.input_tokens",
                    "a " + op + " span with cache token counts but no gen_ai.usage.input_tokens, the total they are part of");
        }
        long end = s.endNanos() != 0 ? s.endNanos() : s.startNanos();
        if (end == 0) throw Json.missing("endTimeUnixNano", "endTimeUnixNano (or startTimeUnixNano) is required");
        if (s.traceId() == null || s.spanId() == null) throw Json.missing("spanId", "traceId and spanId are required");
        Map<String, String> attributes = new HashMap<>();
        String responseId = string(s, "gen_ai.response.id");
        if (responseId != null) attributes.put("gen_ai.response.id", responseId);
        attributes.put("otel.trace_id", s.traceId());
        String conversation = string(s, "gen_ai.conversation.id");
        String errorType = string(s, "error.type");
        UsageEvent.Builder b = UsageEvent.newBuilder()
                .setRequestId(s.traceId() + "-" + s.spanId())
                .setTimestamp(Instant.ofEpochMilli(Math.floorDiv(end, 1_000_000L)))
                .setGateway("otel")
                .setProvider(ProviderNames.canonical(provider))
                .setRequestModel(requestModel)
                .setResponseModel(responseModel)
                .setServiceTier(RawUsageAdapter.tier(string(s, "openai.response.service_tier")))
                .setStatus(s.statusCode() == 2 || errorType != null ? ("timeout".equals(errorType) ? "timeout" : "error") : "success")
                .setLatencyMs(s.startNanos() != 0 && s.endNanos() >= s.startNanos() ? (s.endNanos() - s.startNanos()) / 1_000_000L : null)
                .setConversationId(conversation)
                .setAttributes(attributes);
        new TokenCounts(input == null ? 0 : input, orZero(count(s, "gen_ai.usage.cache_read.input_tokens")),
                orZero(count(s, "gen_ai.usage.cache_creation.input_tokens")), 0, output == null ? 0 : output,
                orZero(count(s, "gen_ai.usage.reasoning.output_tokens")), 0).applyTo(b);
        Map<String, String> available = new HashMap<>();
        s.resource().forEach((k, v) -> { if (scalar(v)) available.put("resource." + k, text(v)); });
        s.attributes().forEach((k, v) -> { if (scalar(v)) available.put(k, text(v)); });
        keys.apply(format, available, b);
        return b.build();
    }

    private static String string(SpanView s, String key) {
        Object v = s.attributes().get(key);
        if (v == null) return null;
        if (!(v instanceof String str)) {
            throw new RecordRejected(RejectReason.INVALID_TYPE, key, key + " must be a string, not " + kind(v));
        }
        return str.isBlank() ? null : str;
    }

    private static Long count(SpanView s, String key) {
        Object v = s.attributes().get(key);
        if (v == null) return null;
        if (v instanceof Long l) return l;
        if (v instanceof String str) { // intValue is a string in OTLP JSON; a stringValue of digits is tolerated
            try {
                return Long.parseLong(str.trim());
            } catch (NumberFormatException e) {
                throw new RecordRejected(RejectReason.INVALID_TYPE, key, key + " must be an integer, not '" + Json.abbreviate(str) + "'");
            }
        }
        if (v instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw new RecordRejected(RejectReason.INVALID_VALUE, key, key + " does not fit a 64-bit integer");
            }
        }
        throw new RecordRejected(RejectReason.INVALID_TYPE, key, key + " must be an integer (intValue), not " + kind(v));
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static boolean scalar(Object v) {
        return !(v instanceof List<?>);
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
    }

    private static String kind(Object v) {
        if (v instanceof BigDecimal) return "a double";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof List<?>) return "an array";
        if (v instanceof Long) return "an integer";
        return "a string";
    }
}
