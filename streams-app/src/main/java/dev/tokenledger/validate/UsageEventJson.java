package dev.tokenledger.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.money.PlainDecimal;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a usage event ({@code llm.usage.json.v1}, and one line of a JSON Lines file):
 * the Avro {@link UsageEvent} field names, {@code timestamp} as RFC 3339, decimals as strings.
 * Documented by {@code schemas/src/main/json/usage-event.schema.json}.
 *
 * <p>Parsing checks shape only: types, required fields, representable values. Unknown fields are
 * ignored so producers can add their own. Bad input comes back as {@link Violation}s naming the
 * field, never as an exception.
 *
 * <p>This is the only writer of the form too ({@link #toJson}, {@link #toBytes}, {@link #toTree}), so
 * the generator, the CLI and the tests produce exactly what {@link #parse} reads back.
 */
public final class UsageEventJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper TREES = new ObjectMapper(JSON);

    private UsageEventJson() {
    }

    public static ParseResult parse(String json) {
        if (json == null) {
            return ParseResult.failed(new Violation(Violation.UNDECODABLE, null, "no input"));
        }
        try (JsonParser parser = JSON.createParser(json)) {
            return new EventReader(parser).read();
        } catch (IOException e) {
            return undecodable(e);
        }
    }

    public static ParseResult parse(byte[] json) {
        if (json == null) {
            return ParseResult.failed(new Violation(Violation.UNDECODABLE, null, "no input"));
        }
        try (JsonParser parser = JSON.createParser(json)) {
            return new EventReader(parser).read();
        } catch (IOException e) {
            return undecodable(e);
        }
    }

    private static ParseResult undecodable(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int cut = message.indexOf('\n');
        return ParseResult.failed(new Violation(Violation.UNDECODABLE, null,
                "not valid JSON: " + (cut < 0 ? message : message.substring(0, cut))));
    }

    /** One JSON object on one line; nulls and empty attributes are left out, decimals are plain strings. */
    public static String toJson(UsageEvent e) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("request_id", e.getRequestId());
            optional(g, "retry_of", e.getRetryOf());
            g.writeNumberField("attempt", e.getAttempt());
            g.writeStringField("timestamp", Rfc3339.format(e.getTimestamp()));
            optional(g, "gateway", e.getGateway());
            g.writeStringField("provider", e.getProvider());
            g.writeStringField("request_model", e.getRequestModel());
            optional(g, "response_model", e.getResponseModel());
            optional(g, "region", e.getRegion());
            g.writeStringField("service_tier", e.getServiceTier());
            g.writeBooleanField("batch", e.getBatch());
            g.writeNumberField("input_tokens", e.getInputTokens());
            g.writeNumberField("cache_read_input_tokens", e.getCacheReadInputTokens());
            g.writeNumberField("cache_creation_input_tokens", e.getCacheCreationInputTokens());
            g.writeNumberField("cache_creation_1h_input_tokens", e.getCacheCreation1hInputTokens());
            g.writeNumberField("output_tokens", e.getOutputTokens());
            g.writeNumberField("reasoning_output_tokens", e.getReasoningOutputTokens());
            g.writeNumberField("web_search_calls", e.getWebSearchCalls());
            g.writeStringField("status", e.getStatus());
            if (e.getLatencyMs() != null) {
                g.writeNumberField("latency_ms", e.getLatencyMs());
            }
            if (e.getProviderReportedCostUsd() != null) {
                g.writeStringField("provider_reported_cost_usd", e.getProviderReportedCostUsd().toPlainString());
            }
            optional(g, "team", e.getTeam());
            optional(g, "feature", e.getFeature());
            optional(g, "environment", e.getEnvironment());
            optional(g, "customer_id", e.getCustomerId());
            optional(g, "workload", e.getWorkload());
            optional(g, "api_key_id", e.getApiKeyId());
            optional(g, "agent_run_id", e.getAgentRunId());
            optional(g, "task_id", e.getTaskId());
            optional(g, "conversation_id", e.getConversationId());
            if (e.getAttributes() != null && !e.getAttributes().isEmpty()) {
                g.writeObjectFieldStart("attributes");
                for (Map.Entry<String, String> tag : e.getAttributes().entrySet()) {
                    g.writeStringField(tag.getKey(), tag.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException("writing to a StringWriter", impossible);
        }
        return out.toString();
    }

    /** {@link #toJson} as UTF-8, the bytes of a record on the JSON input topic. */
    public static byte[] toBytes(UsageEvent e) {
        return toJson(e).getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #toJson} as a mutable tree, for callers that deliberately break an event (malformed records, fuzzing). */
    public static ObjectNode toTree(UsageEvent e) {
        try {
            return (ObjectNode) TREES.readTree(toJson(e));
        } catch (IOException impossible) {
            throw new UncheckedIOException("re-reading our own JSON", impossible);
        }
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Reads one object field by field, collecting every violation rather than stopping at the first. */
    private static final class EventReader {
        private final JsonParser p;
        private List<Violation> violations;

        private String requestId;
        private String retryOf;
        private int attempt = 1;
        private long timestamp = Rfc3339.INVALID;
        private boolean timestampSeen;
        private String gateway;
        private String provider;
        private String requestModel;
        private String responseModel;
        private String region;
        private String serviceTier = "standard";
        private boolean batch;
        private long inputTokens;
        private long cacheReadInputTokens;
        private long cacheCreationInputTokens;
        private long cacheCreation1hInputTokens;
        private long outputTokens;
        private long reasoningOutputTokens;
        private int webSearchCalls;
        private String status = "success";
        private Long latencyMs;
        private BigDecimal providerReportedCostUsd;
        private String team;
        private String feature;
        private String environment;
        private String customerId;
        private String workload;
        private String apiKeyId;
        private String agentRunId;
        private String taskId;
        private String conversationId;
        private Map<String, String> attributes;

        EventReader(JsonParser parser) {
            this.p = parser;
        }

        ParseResult read() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ParseResult.failed(new Violation(Violation.UNDECODABLE, null, "a usage event must be a JSON object"));
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                readField(name, p.nextToken());
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                return ParseResult.failed(new Violation(Violation.UNDECODABLE, null,
                        "content after the end of the event object"));
            }
            requireText("request_id", requestId);
            requireText("provider", provider);
            requireText("request_model", requestModel);
            if (!timestampSeen) {
                violation(Violation.MISSING_FIELD, "timestamp", "timestamp is required (RFC 3339, e.g. 2026-11-02T10:15:30.123Z)");
            }
            return violations == null ? ParseResult.of(build()) : ParseResult.failed(violations);
        }

        private void readField(String name, JsonToken t) throws IOException {
            switch (name) {
                case "request_id" -> requestId = requiredString(name, t);
                case "retry_of" -> retryOf = nullableString(name, t);
                case "attempt" -> attempt = intValue(name, t, attempt);
                case "timestamp" -> readTimestamp(t);
                case "gateway" -> gateway = nullableString(name, t);
                case "provider" -> provider = requiredString(name, t);
                case "request_model" -> requestModel = requiredString(name, t);
                case "response_model" -> responseModel = nullableString(name, t);
                case "region" -> region = nullableString(name, t);
                case "service_tier" -> serviceTier = nonNullString(name, t, serviceTier);
                case "batch" -> batch = booleanValue(name, t, batch);
                case "input_tokens" -> inputTokens = longValue(name, t, 0);
                case "cache_read_input_tokens" -> cacheReadInputTokens = longValue(name, t, 0);
                case "cache_creation_input_tokens" -> cacheCreationInputTokens = longValue(name, t, 0);
                case "cache_creation_1h_input_tokens" -> cacheCreation1hInputTokens = longValue(name, t, 0);
                case "output_tokens" -> outputTokens = longValue(name, t, 0);
                case "reasoning_output_tokens" -> reasoningOutputTokens = longValue(name, t, 0);
                case "web_search_calls" -> webSearchCalls = intValue(name, t, 0);
                case "status" -> status = nonNullString(name, t, status);
                case "latency_ms" -> latencyMs = t == JsonToken.VALUE_NULL ? null : longValue(name, t, 0);
                case "provider_reported_cost_usd" -> providerReportedCostUsd = decimal(name, t);
                case "team" -> team = nullableString(name, t);
                case "feature" -> feature = nullableString(name, t);
                case "environment" -> environment = nullableString(name, t);
                case "customer_id" -> customerId = nullableString(name, t);
                case "workload" -> workload = nullableString(name, t);
                case "api_key_id" -> apiKeyId = nullableString(name, t);
                case "agent_run_id" -> agentRunId = nullableString(name, t);
                case "task_id" -> taskId = nullableString(name, t);
                case "conversation_id" -> conversationId = nullableString(name, t);
                case "attributes" -> readAttributes(t);
                default -> p.skipChildren(); // unknown fields are the producer's business
            }
        }

        private UsageEvent build() {
            return UsageEvent.newBuilder()
                    .setRequestId(requestId)
                    .setRetryOf(retryOf)
                    .setAttempt(attempt)
                    .setTimestamp(Instant.ofEpochMilli(timestamp))
                    .setGateway(gateway)
                    .setProvider(provider)
                    .setRequestModel(requestModel)
                    .setResponseModel(responseModel)
                    .setRegion(region)
                    .setServiceTier(serviceTier)
                    .setBatch(batch)
                    .setInputTokens(inputTokens)
                    .setCacheReadInputTokens(cacheReadInputTokens)
                    .setCacheCreationInputTokens(cacheCreationInputTokens)
                    .setCacheCreation1hInputTokens(cacheCreation1hInputTokens)
                    .setOutputTokens(outputTokens)
                    .setReasoningOutputTokens(reasoningOutputTokens)
                    .setWebSearchCalls(webSearchCalls)
                    .setStatus(status)
                    .setLatencyMs(latencyMs)
                    .setProviderReportedCostUsd(providerReportedCostUsd)
                    .setTeam(team)
                    .setFeature(feature)
                    .setEnvironment(environment)
                    .setCustomerId(customerId)
                    .setWorkload(workload)
                    .setApiKeyId(apiKeyId)
                    .setAgentRunId(agentRunId)
                    .setTaskId(taskId)
                    .setConversationId(conversationId)
                    .setAttributes(attributes == null ? new HashMap<>() : attributes)
                    .build();
        }

        private void requireText(String name, String value) {
            if (hasViolation(name)) {
                return; // already reported as the wrong type
            }
            if (value == null) {
                violation(Violation.MISSING_FIELD, name, name + " is required");
            } else if (value.isBlank()) {
                violation(Violation.MISSING_FIELD, name, name + " must not be blank");
            }
        }

        /** A required string: null is as good as absent, which {@link #requireText} reports once. */
        private String requiredString(String name, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            return nullableString(name, t);
        }

        private String nullableString(String name, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (t != JsonToken.VALUE_NULL) {
                wrongType(name, t, "a string");
            }
            return null;
        }

        /** A string with a default: null is not allowed, as in the Avro schema. */
        private String nonNullString(String name, JsonToken t, String fallback) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            wrongType(name, t, "a string");
            return fallback;
        }

        private boolean booleanValue(String name, JsonToken t, boolean fallback) throws IOException {
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            wrongType(name, t, "true or false");
            return fallback;
        }

        private long longValue(String name, JsonToken t, long fallback) throws IOException {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                wrongType(name, t, "an integer");
                return fallback;
            }
            JsonParser.NumberType type = p.getNumberType();
            if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
                violation(Violation.INVALID_VALUE, name, name + " " + p.getText() + " does not fit a 64-bit integer");
                return fallback;
            }
            return p.getLongValue();
        }

        private int intValue(String name, JsonToken t, int fallback) throws IOException {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                wrongType(name, t, "an integer");
                return fallback;
            }
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                violation(Violation.INVALID_VALUE, name, name + " " + p.getText() + " does not fit a 32-bit integer");
                return fallback;
            }
            return p.getIntValue();
        }

        private void readTimestamp(JsonToken t) throws IOException {
            timestampSeen = true;
            if (t == JsonToken.VALUE_NULL) {
                violation(Violation.MISSING_FIELD, "timestamp", "timestamp is required (RFC 3339, e.g. 2026-11-02T10:15:30.123Z)");
                return;
            }
            if (t != JsonToken.VALUE_STRING) {
                wrongType("timestamp", t, "an RFC 3339 string such as 2026-11-02T10:15:30.123Z");
                return;
            }
            String text = p.getText();
            timestamp = Rfc3339.parseEpochMillis(text);
            if (timestamp == Rfc3339.INVALID) {
                violation(Violation.INVALID_VALUE, "timestamp",
                        "timestamp '" + abbreviate(text) + "' is not an RFC 3339 date-time such as 2026-11-02T10:15:30.123Z");
            }
        }

        /**
         * A decimal from a string or a JSON number, read from its text (never through a double) and
         * held at the money scale. A value that would need rounding is rejected, not rounded.
         */
        private BigDecimal decimal(String name, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            try {
                BigDecimal value;
                if (t == JsonToken.VALUE_STRING) {
                    // The sign is the validator's to judge, with its own reason.
                    value = PlainDecimal.parseMoney(name, p.getText(), true);
                } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    value = PlainDecimal.exact(name, new BigDecimal(p.getText()), PlainDecimal.MONEY_SCALE);
                } else {
                    wrongType(name, t, "a decimal string or a number");
                    return null;
                }
                return value.setScale(PlainDecimal.MONEY_SCALE);
            } catch (PlainDecimal.Invalid e) {
                violation(Violation.INVALID_VALUE, name, e.getMessage());
                return null;
            } catch (NumberFormatException e) { // a JSON number whose exponent no BigDecimal can hold
                violation(Violation.INVALID_VALUE, name, name + " " + abbreviate(p.getText()) + " is out of range");
                return null;
            }
        }

        private void readAttributes(JsonToken t) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                wrongType("attributes", t, "an object of strings");
                return;
            }
            Map<String, String> tags = new HashMap<>();
            JsonToken valueToken;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                valueToken = p.nextToken();
                if (valueToken == JsonToken.VALUE_STRING) {
                    tags.put(key, p.getText());
                } else {
                    wrongType("attributes." + key, valueToken, "a string");
                }
            }
            attributes = tags;
        }

        private void wrongType(String name, JsonToken t, String expected) throws IOException {
            violation(Violation.INVALID_TYPE, name, name + " must be " + expected + ", not " + describe(t));
            p.skipChildren();
        }

        private boolean hasViolation(String field) {
            if (violations != null) {
                for (Violation v : violations) {
                    if (field.equals(v.field())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private void violation(String reason, String field, String detail) {
            if (violations == null) {
                violations = new ArrayList<>(2);
            }
            violations.add(new Violation(reason, field, detail));
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT -> "an integer";
                case VALUE_NUMBER_FLOAT -> "a fractional number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> t.name();
            };
        }


        private static String abbreviate(String s) {
            return s.length() <= 64 ? s : s.substring(0, 61) + "...";
        }
    }
}
