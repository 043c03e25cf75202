package dev.tokenledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tokenledger.avro.UsageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON form of the usage event: its JSON Schema, the examples, and agreement with the Avro contract. */
class UsageEventJsonSchemaTest {

    private static final Path EXAMPLES = SchemaFiles.MODULE.resolve("../examples").normalize();
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonSchema SCHEMA = loadSchema();

    private static JsonSchema loadSchema() {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        // Loaded from the classpath: the build packages src/main/json into the jar.
        try (InputStream in = UsageEventJsonSchemaTest.class.getResourceAsStream("/json/usage-event.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode schemaDocument() throws IOException {
        return MAPPER.readTree(SchemaFiles.MODULE.resolve("src/main/json/usage-event.schema.json").toFile());
    }

    private static ObjectNode exampleEvent() throws IOException {
        return (ObjectNode) MAPPER.readTree(EXAMPLES.resolve("usage-event.json").toFile());
    }

    @Test
    void shouldAcceptTheExampleEvent() throws IOException {
        assertThat(SCHEMA.validate(exampleEvent())).isEmpty();
    }

    static Stream<Arguments> exampleLines() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLES.resolve("usage-events.jsonl"));
        List<Arguments> arguments = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            arguments.add(Arguments.of(i + 1, lines.get(i)));
        }
        return arguments.stream();
    }

    /** Also the deliberately invalid line: a subset larger than its total is beyond what JSON Schema can say. */
    @ParameterizedTest(name = "usage-events.jsonl line {0}")
    @MethodSource("exampleLines")
    void shouldAcceptEveryExampleLine(int line, String json) throws IOException {
        assertThat(SCHEMA.validate(MAPPER.readTree(json))).as("line %d", line).isEmpty();
    }

    @Test
    void shouldHaveAboutADozenExampleLines() throws IOException {
        assertThat(exampleLines()).hasSizeBetween(10, 20);
    }

    static Stream<Arguments> brokenEvents() {
        return Stream.of(
                Arguments.of("request_id", null),
                Arguments.of("request_id", "   "),
                Arguments.of("input_tokens", "12800"),
                Arguments.of("input_tokens", 12.5),
                Arguments.of("output_tokens", -1),
                Arguments.of("attempt", 0),
                Arguments.of("status", "ok"),
                Arguments.of("service_tier", "scale"),
                Arguments.of("batch", "true"),
                Arguments.of("timestamp", 1793700930123L),
                Arguments.of("timestamp", "2026-11-02 10:15:30"),
                Arguments.of("timestamp", "2026-13-02T10:15:30Z"),
                Arguments.of("provider_reported_cost_usd", "1e-3"),
                Arguments.of("provider_reported_cost_usd", "-0.5"),
                Arguments.of("attributes", Map.of("retries", 3)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("brokenEvents")
    void shouldRejectAWrongValue(String field, Object value) throws IOException {
        ObjectNode event = exampleEvent();
        if (value == null) {
            event.remove(field);
        } else {
            event.set(field, MAPPER.valueToTree(value));
        }
        Set<ValidationMessage> errors = SCHEMA.validate(event);
        assertThat(errors).isNotEmpty();
        assertThat(errors).anyMatch(e -> e.getMessage().contains(field) || e.getInstanceLocation().toString().contains(field));
    }

    @Test
    void shouldIgnoreUnknownFields() throws IOException {
        ObjectNode event = exampleEvent();
        event.put("gateway_build", "2026.11.1");
        assertThat(SCHEMA.validate(event)).isEmpty();
    }

    @Test
    void shouldDescribeExactlyTheFieldsOfTheAvroUsageEvent() throws IOException {
        Set<String> jsonFields = new TreeSet<>();
        schemaDocument().get("properties").fieldNames().forEachRemaining(jsonFields::add);
        Set<String> avroFields = new TreeSet<>();
        UsageEvent.getClassSchema().getFields().forEach(f -> avroFields.add(f.name()));
        assertThat(jsonFields).isEqualTo(avroFields);
    }

    @Test
    void shouldRequireExactlyTheAvroFieldsThatHaveNoDefault() throws IOException {
        Set<String> required = new TreeSet<>();
        schemaDocument().get("required").forEach(n -> required.add(n.asText()));
        Set<String> withoutDefault = new TreeSet<>();
        UsageEvent.getClassSchema().getFields().stream().filter(f -> !f.hasDefaultValue())
                .forEach(f -> withoutDefault.add(f.name()));
        assertThat(required).isEqualTo(withoutDefault);
    }

    @Test
    void shouldDocumentTheSameDefaultsAsTheAvroSchema() throws IOException {
        JsonNode document = schemaDocument();
        for (Schema.Field field : UsageEvent.getClassSchema().getFields()) {
            if (!field.hasDefaultValue()) {
                continue;
            }
            JsonNode property = resolve(document, document.get("properties").get(field.name()));
            assertThat(property.has("default")).as("%s documents its default", field.name()).isTrue();
            // compared as JSON text: Avro reads a long default 0 as a Long, Jackson as an int
            assertThat(property.get("default").toString()).as("default of %s", field.name())
                    .isEqualTo(asJson(field.defaultVal()).toString());
        }
    }

    private static JsonNode resolve(JsonNode document, JsonNode property) {
        if (property.has("default") || !property.has("$ref")) {
            return property;
        }
        String ref = property.get("$ref").asText();
        return document.at(ref.substring(1));
    }

    private static JsonNode asJson(Object avroDefault) {
        if (avroDefault == JsonProperties.NULL_VALUE) {
            return MAPPER.nullNode();
        }
        return MAPPER.valueToTree(avroDefault);
    }
}
