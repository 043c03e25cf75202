package dev.tokenledger.task;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.money.PlainDecimal;
import dev.tokenledger.validate.Rfc3339;
import dev.tokenledger.validate.Violation;
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
 * The JSON form of a task outcome ({@code llm.task-outcomes.json.v1}, one line of a JSON Lines file):
 * the Avro {@link TaskOutcome} field names, {@code timestamp} as RFC 3339, {@code value_usd} as a
 * decimal string or an exact JSON number. Documented by {@code schemas/src/main/json/task-outcome.schema.json}.
 * Checks shape only (types, required fields); {@link TaskOutcomeValidator} judges the values. Unknown
 * fields are ignored. Also the writer of the form, so tests and tools produce what is read back.
 */
public final class TaskOutcomeJson {

    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Exactly one of the two is set. */
    public record Parsed(TaskOutcome outcome, List<Violation> violations) {
        public Parsed {
            violations = List.copyOf(violations);
        }
    }

    private TaskOutcomeJson() {
    }

    public static Parsed parse(byte[] json) {
        if (json == null) {
            return failed(new Violation(Violation.UNDECODABLE, null, "no input"));
        }
        try (JsonParser parser = JSON.createParser(json)) {
            return new Reader(parser).read();
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int cut = message.indexOf('\n');
            return failed(new Violation(Violation.UNDECODABLE, null, "not valid JSON: " + (cut < 0 ? message : message.substring(0, cut))));
        }
    }

    public static String toJson(TaskOutcome o) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("task_id", o.getTaskId());
            g.writeStringField("outcome", o.getOutcome());
            g.writeStringField("timestamp", Rfc3339.format(o.getTimestamp()));
            if (o.getFeature() != null) g.writeStringField("feature", o.getFeature());
            if (o.getTaskType() != null) g.writeStringField("task_type", o.getTaskType());
            if (o.getValueUsd() != null) g.writeStringField("value_usd", o.getValueUsd().toPlainString());
            if (o.getAttributes() != null && !o.getAttributes().isEmpty()) {
                g.writeObjectFieldStart("attributes");
                for (Map.Entry<String, String> a : o.getAttributes().entrySet()) {
                    g.writeStringField(a.getKey(), a.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException("writing to a StringWriter", impossible);
        }
        return out.toString();
    }

    public static byte[] toBytes(TaskOutcome o) {
        return toJson(o).getBytes(StandardCharsets.UTF_8);
    }

    private static Parsed failed(Violation v) {
        return new Parsed(null, List.of(v));
    }

    /** Reads one object field by field, collecting every violation. */
    private static final class Reader {
        private final JsonParser p;
        private final List<Violation> violations = new ArrayList<>(2);
        private String taskId;
        private String outcome;
        private long timestamp = Rfc3339.INVALID;
        private String feature;
        private String taskType;
        private BigDecimal valueUsd;
        private Map<String, String> attributes = new HashMap<>();

        Reader(JsonParser p) {
            this.p = p;
        }

        Parsed read() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return failed(new Violation(Violation.UNDECODABLE, null, "a task outcome must be a JSON object"));
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "task_id" -> taskId = string(name, value);
                    case "outcome" -> outcome = string(name, value);
                    case "timestamp" -> timestamp(value);
                    case "feature" -> feature = string(name, value);
                    case "task_type" -> taskType = string(name, value);
                    case "value_usd" -> valueUsd = decimal(name, value);
                    case "attributes" -> attributes(value);
                    default -> p.skipChildren(); // the producer's own fields
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                return failed(new Violation(Violation.UNDECODABLE, null, "content after the end of the outcome object"));
            }
            require("task_id", taskId);
            require("outcome", outcome);
            if (timestamp == Rfc3339.INVALID && !hasViolation("timestamp")) {
                violations.add(new Violation(Violation.MISSING_FIELD, "timestamp", "timestamp is required (RFC 3339, e.g. 2026-11-02T10:15:30.123Z)"));
            }
            if (!violations.isEmpty()) {
                return new Parsed(null, violations);
            }
            return new Parsed(TaskOutcome.newBuilder().setTaskId(taskId).setOutcome(outcome)
                    .setTimestamp(Instant.ofEpochMilli(timestamp)).setFeature(feature).setTaskType(taskType)
                    .setValueUsd(valueUsd).setAttributes(attributes).build(), List.of());
        }

        private void require(String name, String value) {
            if (value == null && !hasViolation(name)) {
                violations.add(new Violation(Violation.MISSING_FIELD, name, name + " is required"));
            }
        }

        private String string(String name, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (t != JsonToken.VALUE_NULL) {
                wrongType(name, t, "a string");
            }
            return null;
        }

        private void timestamp(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return; // reported as missing
            }
            if (t != JsonToken.VALUE_STRING) {
                wrongType("timestamp", t, "an RFC 3339 string such as 2026-11-02T10:15:30.123Z");
                return;
            }
            timestamp = Rfc3339.parseEpochMillis(p.getText());
            if (timestamp == Rfc3339.INVALID) {
                violations.add(new Violation(Violation.INVALID_VALUE, "timestamp", "timestamp '" + abbreviate(p.getText())
                        + "' is not an RFC 3339 date-time such as 2026-11-02T10:15:30.123Z"));
            }
        }

        /** Read from the text, never through a double; more than 12 significant places is refused, not rounded. */
        private BigDecimal decimal(String name, JsonToken t) throws IOException {
            try {
                if (t == JsonToken.VALUE_NULL) {
                    return null;
                }
                if (t == JsonToken.VALUE_STRING) {
                    return PlainDecimal.parseMoney(name, p.getText(), true).setScale(PlainDecimal.MONEY_SCALE);
                }
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    return PlainDecimal.exact(name, new BigDecimal(p.getText()), PlainDecimal.MONEY_SCALE)
                            .setScale(PlainDecimal.MONEY_SCALE);
                }
                wrongType(name, t, "a decimal string or a number");
                return null;
            } catch (PlainDecimal.Invalid e) {
                violations.add(new Violation(Violation.INVALID_VALUE, name, e.getMessage()));
                return null;
            } catch (NumberFormatException | ArithmeticException e) {
                violations.add(new Violation(Violation.INVALID_VALUE, name, name + " " + abbreviate(p.getText()) + " is out of range"));
                return null;
            }
        }

        private void attributes(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return;
            }
            if (t != JsonToken.START_OBJECT) {
                wrongType("attributes", t, "an object of strings");
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    attributes.put(key, p.getText());
                } else {
                    wrongType("attributes." + key, v, "a string");
                }
            }
        }

        private void wrongType(String name, JsonToken t, String expected) throws IOException {
            violations.add(new Violation(Violation.INVALID_TYPE, name, name + " must be " + expected + ", not " + describe(t)));
            p.skipChildren();
        }

        private boolean hasViolation(String field) {
            return violations.stream().anyMatch(v -> field.equals(v.field()));
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT -> "an integer";
                case VALUE_NUMBER_FLOAT -> "a fractional number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
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
