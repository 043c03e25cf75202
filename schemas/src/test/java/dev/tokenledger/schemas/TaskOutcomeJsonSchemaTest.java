package dev.tokenledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import dev.tokenledger.avro.TaskOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The JSON form of a task outcome: its JSON Schema agrees with the Avro contract and says what is valid. */
class TaskOutcomeJsonSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonSchema schema() throws IOException {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = TaskOutcomeJsonSchemaTest.class.getResourceAsStream("/json/task-outcome.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    @Test
    void shouldNameExactlyTheAvroFields() throws IOException {
        JsonNode doc = MAPPER.readTree(SchemaFiles.MODULE.resolve("src/main/json/task-outcome.schema.json").toFile());
        Set<String> json = new TreeSet<>();
        doc.get("properties").fieldNames().forEachRemaining(json::add);
        Set<String> avro = new TreeSet<>();
        TaskOutcome.getClassSchema().getFields().stream().map(Schema.Field::name).forEach(avro::add);
        assertThat(json).isEqualTo(avro);
        Set<String> required = new TreeSet<>();
        doc.get("required").forEach(n -> required.add(n.asText()));
        Set<String> withoutDefault = new TreeSet<>();
        TaskOutcome.getClassSchema().getFields().stream().filter(f -> !f.hasDefaultValue()).map(Schema.Field::name)
                .forEach(withoutDefault::add);
        assertThat(required).isEqualTo(withoutDefault);
    }

    @Test
    void shouldAcceptAnOutcomeWithEveryField() throws IOException {
        JsonNode outcome = MAPPER.readTree("{\"task_id\":\"t-1\",\"outcome\":\"success\",\"timestamp\":\"2026-11-02T10:15:30.123Z\","
                + "\"feature\":\"ticket-triage\",\"task_type\":\"ticket_resolved\",\"value_usd\":\"12.50\",\"attributes\":{\"queue\":\"billing\"}}");
        assertThat(schema().validate(outcome)).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownOutcomeAMissingTaskAndANegativeValue() throws IOException {
        JsonSchema schema = schema();
        assertThat(schema.validate(MAPPER.readTree("{\"task_id\":\"t\",\"outcome\":\"done\",\"timestamp\":\"2026-11-02T10:15:30Z\"}"))).isNotEmpty();
        assertThat(schema.validate(MAPPER.readTree("{\"outcome\":\"success\",\"timestamp\":\"2026-11-02T10:15:30Z\"}"))).isNotEmpty();
        assertThat(schema.validate(MAPPER.readTree(
                "{\"task_id\":\"t\",\"outcome\":\"success\",\"timestamp\":\"2026-11-02T10:15:30Z\",\"value_usd\":\"-1\"}"))).isNotEmpty();
    }
}
