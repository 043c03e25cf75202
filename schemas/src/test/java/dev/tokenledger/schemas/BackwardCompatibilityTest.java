package dev.tokenledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The compatibility gate must reject the changes that break consumers and let the safe ones through. */
class BackwardCompatibilityTest {

    private static final String BASE = """
            {"type": "record", "name": "Call", "namespace": "t", "fields": [
              {"name": "id", "type": "string"},
              {"name": "tokens", "type": "int"},
              {"name": "tier", "type": "string", "default": "standard"},
              {"name": "usage", "type": {"type": "record", "name": "Usage", "fields": [
                {"name": "input", "type": "long"}]}}
            ]}""";

    private static Schema schema(String json) {
        return AvscSet.parseStandalone("Call", json);
    }

    private static Schema base() {
        return schema(BASE);
    }

    @Test
    void shouldAcceptAnUnchangedSchema() {
        assertThat(BackwardCompatibility.problems(base(), base())).isEmpty();
    }

    @Test
    void shouldAcceptANewFieldWithADefault() {
        Schema changed = schema(BASE.replace("{\"name\": \"tokens\"",
                "{\"name\": \"region\", \"type\": [\"null\", \"string\"], \"default\": null},\n{\"name\": \"tokens\""));
        assertThat(BackwardCompatibility.problems(changed, base())).isEmpty();
    }

    @Test
    void shouldRejectANewFieldWithoutADefault() {
        Schema changed = schema(BASE.replace("{\"name\": \"tokens\"",
                "{\"name\": \"region\", \"type\": \"string\"},\n{\"name\": \"tokens\""));
        assertThat(BackwardCompatibility.problems(changed, base()))
                .anyMatch(p -> p.contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
                .anyMatch(p -> p.equals("new field t.Call.region has no default"));
    }

    @Test
    void shouldRejectANewFieldWithoutADefaultInANestedRecord() {
        Schema changed = schema(BASE.replace("{\"name\": \"input\", \"type\": \"long\"}",
                "{\"name\": \"input\", \"type\": \"long\"}, {\"name\": \"output\", \"type\": \"long\"}"));
        assertThat(BackwardCompatibility.problems(changed, base()))
                .contains("new field t.Usage.output has no default");
    }

    @Test
    void shouldRejectATypeChange() {
        Schema changed = schema(BASE.replace("{\"name\": \"tokens\", \"type\": \"int\"}",
                "{\"name\": \"tokens\", \"type\": \"string\"}"));
        assertThat(BackwardCompatibility.problems(changed, base()))
                .singleElement().asString().contains("TYPE_MISMATCH").contains("/fields/1/type");
    }

    @Test
    void shouldRejectNarrowingLongToInt() {
        Schema changed = schema(BASE.replace("{\"name\": \"input\", \"type\": \"long\"}",
                "{\"name\": \"input\", \"type\": \"int\"}"));
        assertThat(BackwardCompatibility.problems(changed, base())).isNotEmpty();
    }

    @Test
    void shouldAcceptWideningIntToLong() {
        Schema changed = schema(BASE.replace("{\"name\": \"tokens\", \"type\": \"int\"}",
                "{\"name\": \"tokens\", \"type\": \"long\"}"));
        assertThat(BackwardCompatibility.problems(changed, base())).isEmpty();
    }

    @Test
    void shouldRejectARenameWithoutAnAlias() {
        Schema changed = schema(BASE.replace("\"name\": \"id\"", "\"name\": \"request_id\""));
        assertThat(BackwardCompatibility.problems(changed, base()))
                .contains("new field t.Call.request_id has no default");
    }

    @Test
    void shouldAcceptARenameThatKeepsTheOldNameAsAlias() {
        Schema changed = schema(BASE.replace("\"name\": \"id\"", "\"name\": \"request_id\", \"aliases\": [\"id\"]"));
        assertThat(BackwardCompatibility.problems(changed, base())).isEmpty();
    }

    @Test
    void shouldAcceptRemovingAField() {
        Schema changed = schema(BASE.replace("{\"name\": \"tier\", \"type\": \"string\", \"default\": \"standard\"},", ""));
        assertThat(BackwardCompatibility.problems(changed, base())).isEmpty();
    }

    @Test
    void shouldRejectAnIncompatibleChangeToTheRealUsageEvent() throws IOException {
        Map<String, String> sources = AvscSet.readDirectory(SchemaFiles.SOURCES);
        Schema released = AvscSet.parse(sources).get("UsageEvent");
        String broken = sources.get("UsageEvent")
                .replace("{\"name\": \"attempt\", \"type\": \"int\", \"default\": 1,",
                        "{\"name\": \"attempt\", \"type\": \"string\", \"default\": \"1\",")
                .replace("{\"name\": \"gateway\",", "{\"name\": \"tenant\", \"type\": \"string\"},\n{\"name\": \"gateway\",");
        assertThat(broken).isNotEqualTo(sources.get("UsageEvent"));
        sources.put("UsageEvent", broken);

        assertThat(BackwardCompatibility.problems(AvscSet.parse(sources).get("UsageEvent"), released))
                .anyMatch(p -> p.contains("TYPE_MISMATCH"))
                .contains("new field dev.tokenledger.avro.UsageEvent.tenant has no default");
    }

    @Test
    void shouldSeeAChangeToASharedTypeThroughTheSchemasThatEmbedIt() throws IOException {
        Map<String, String> sources = AvscSet.readDirectory(SchemaFiles.SOURCES);
        Schema released = AvscSet.parse(sources).get("PricedUsage");
        sources.put("CostBreakdown", sources.get("CostBreakdown")
                .replace("\"fields\": [", "\"fields\": [\n{\"name\": \"tax\", \"type\": \"long\"},"));

        assertThat(BackwardCompatibility.problems(AvscSet.parse(sources).get("PricedUsage"), released))
                .contains("new field dev.tokenledger.avro.CostBreakdown.tax has no default");
    }
}
