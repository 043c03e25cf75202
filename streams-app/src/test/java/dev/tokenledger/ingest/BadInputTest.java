package dev.tokenledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input never throws and is never skipped silently: one reject per bad record, with its reason, locator and field. */
class BadInputTest {

    static Stream<Arguments> cases() {
        String okAnthropic = "{\"request_id\":\"r1\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
        return Stream.of(
                // format, body, reason, locator, field
                Arguments.of(InputFormat.ANTHROPIC_USAGE, okAnthropic + "\n{not json\n", RejectReason.UNDECODABLE, "line 2", null),
                Arguments.of(InputFormat.ANTHROPIC_USAGE, "{\"request_id\":\"r2\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\"}",
                        RejectReason.MISSING_USAGE, "line 1", "usage"),
                Arguments.of(InputFormat.ANTHROPIC_USAGE, "{\"request_id\":\"r3\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"usage\":{\"input_tokens\":\"ten\",\"output_tokens\":5}}",
                        RejectReason.INVALID_TYPE, "line 1", "usage.input_tokens"),
                Arguments.of(InputFormat.ANTHROPIC_USAGE, "{\"request_id\":\"r4\",\"model\":\"m\",\"usage\":{\"input_tokens\":1}}",
                        RejectReason.MISSING_FIELD, "line 1", "timestamp"),
                Arguments.of(InputFormat.ANTHROPIC_USAGE, "{\"request_id\":\"r5\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"usage\":{\"input_tokens\":-40,\"output_tokens\":5}}",
                        RejectReason.NEGATIVE_COUNT, "line 1", "input_tokens"),
                Arguments.of(InputFormat.OPENAI_USAGE, "{\"request_id\":\"r6\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":400}}}",
                        RejectReason.SUBSET_EXCEEDS_TOTAL, "line 1", "cache_read_input_tokens"),
                Arguments.of(InputFormat.OPENAI_USAGE, "{\"request_id\":\"r7\",\"timestamp\":\"yesterday\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1}}",
                        RejectReason.INVALID_VALUE, "line 1", "timestamp"),
                Arguments.of(InputFormat.BEDROCK_USAGE, "{\"request_id\":\"r8\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"usage\":{\"inputTokens\":1.5}}",
                        RejectReason.INVALID_TYPE, "line 1", "usage.inputTokens"),
                Arguments.of(InputFormat.LITELLM, "[{\"id\":\"x\",\"model\":\"gpt-4o\",\"custom_llm_provider\":\"openai\",\"endTime\":1793614518}]",
                        RejectReason.MISSING_USAGE, "item 1", "metadata.usage_object"),
                Arguments.of(InputFormat.HELICONE, "[1]", RejectReason.INVALID_TYPE, "item 1", "record"),
                Arguments.of(InputFormat.PORTKEY, "{\"id\":\"p\",\"ai_org\":\"openai\",\"ai_model\":\"gpt-4o\",\"created_at\":\"2026-11-02T10:00:00Z\",\"req_units\":1,\"cost\":1,\"cost_currency\":\"EUR\"}",
                        RejectReason.INVALID_VALUE, "line 1", "cost_currency"),
                Arguments.of(InputFormat.CLOUDEVENTS, "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"s\",\"data\":{}}",
                        RejectReason.INVALID_VALUE, "line 1", "specversion"),
                Arguments.of(InputFormat.CLOUDEVENTS, "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"datacontenttype\":\"application/xml\",\"data\":\"<x/>\"}",
                        RejectReason.UNKNOWN_ENCODING, "line 1", "datacontenttype"),
                Arguments.of(InputFormat.CLOUDEVENTS, "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"data\":{\"provider\":\"openai\",\"request_model\":\"m\"}}",
                        RejectReason.MISSING_FIELD, "line 1", "timestamp"),
                Arguments.of(InputFormat.CLOUDEVENTS, "{\"specversion\":\"1.0\",\"source\":\"s\",\"data\":{}}", RejectReason.MISSING_FIELD, "line 1", "id"),
                Arguments.of(InputFormat.OTLP_JSON, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span("\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\",\"spanId\":\"7uGbfsPBsXQ=\"", "") + "]}]}]}",
                        RejectReason.UNKNOWN_ENCODING, "line 1 resourceSpans[0].scopeSpans[0].spans[0]", "traceId"),
                Arguments.of(InputFormat.OTLP_JSON, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span(IDS, "") + "]}]}]}",
                        RejectReason.MISSING_USAGE, "line 1 resourceSpans[0].scopeSpans[0].spans[0]", "gen_ai.usage.input_tokens"),
                // Cache counts without the input total they are part of: the uncached part is unknown.
                Arguments.of(InputFormat.OTLP_JSON, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span(IDS,
                        ",{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"40\"}}"
                                + ",{\"key\":\"gen_ai.usage.cache_read.input_tokens\",\"value\":{\"intValue\":\"900\"}}") + "]}]}]}",
                        RejectReason.MISSING_USAGE, "line 1 resourceSpans[0].scopeSpans[0].spans[0]", "gen_ai.usage.input_tokens"),
                Arguments.of(InputFormat.OTLP_JSON, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span(IDS,
                        ",{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"12x\"}}") + "]}]}]}",
                        RejectReason.INVALID_VALUE, "line 1 resourceSpans[0].scopeSpans[0].spans[0]", "gen_ai.usage.input_tokens"),
                Arguments.of(InputFormat.OTLP_JSON, "{\"resourceSpans\":{}}", RejectReason.INVALID_TYPE, "line 1", "resourceSpans"),
                Arguments.of(InputFormat.OTLP_PROTO, "not a protobuf at all", RejectReason.UNDECODABLE, "body", null),
                Arguments.of(InputFormat.NATIVE, "{\"request_id\":\"n\",\"provider\":\"openai\",\"request_model\":\"m\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"input_tokens\":true}",
                        RejectReason.INVALID_TYPE, "line 1", "input_tokens"));
    }

    private static final String IDS = "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"";

    private static String span(String ids, String moreAttributes) {
        return "{" + ids + ",\"endTimeUnixNano\":\"1793614530123456789\",\"attributes\":["
                + "{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},"
                + "{\"key\":\"gen_ai.provider.name\",\"value\":{\"stringValue\":\"openai\"}},"
                + "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o\"}}" + moreAttributes + "]}";
    }

    @ParameterizedTest(name = "{0} -> {2} at {3}")
    @MethodSource("cases")
    void shouldRejectWithAReasonALocatorAndAField(InputFormat format, String body, RejectReason reason, String locator, String field) {
        AdapterResult r = format.adapter().parse(body.getBytes(StandardCharsets.UTF_8), AttributionKeys.defaults());
        assertThat(r.rejects()).as(r.rejects().toString()).hasSize(1);
        Reject reject = r.rejects().get(0);
        assertThat(reject.reason()).isEqualTo(reason);
        assertThat(reject.locator()).isEqualTo(locator);
        assertThat(reject.field()).isEqualTo(field);
        assertThat(reject.describe()).startsWith(locator + ": ").contains(reason.code());
        assertThat(r.records()).as("every record accounted for").isEqualTo(r.events().size() + 1 + r.ignored());
    }

    @Test
    void aGoodLineBesideABadOneIsStillAdapted() {
        AdapterResult r = InputFormat.ANTHROPIC_USAGE.adapter().parse(((String) cases().findFirst().orElseThrow().get()[1])
                .getBytes(StandardCharsets.UTF_8), AttributionKeys.defaults());
        assertThat(r.usageEvents()).hasSize(1);
        assertThat(r.usageEvents().get(0).getInputTokens()).isEqualTo(10);
    }

    @Test
    void aSpanThatIsNoModelCallIsIgnoredEvenWithOddAttributes() {
        String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"not-hex\",\"attributes\":["
                + "{\"key\":\"http.response.status_code\",\"value\":{\"intValue\":\"two hundred\"}}]}]}]}]}";
        AdapterResult r = InputFormat.OTLP_JSON.adapter().parse(body.getBytes(StandardCharsets.UTF_8), AttributionKeys.defaults());
        assertThat(r.rejects()).isEmpty();
        assertThat(r.ignored()).isEqualTo(1);
    }

    @Test
    void compressedAndNonUtf8BodiesAreUnknownEncodings() {
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0};
        byte[] latin1 = "{\"request_id\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        for (InputFormat f : new InputFormat[] {InputFormat.LITELLM, InputFormat.OTLP_JSON, InputFormat.OTLP_PROTO}) {
            Reject r = f.adapter().parse(gzip, AttributionKeys.defaults()).rejects().get(0);
            assertThat(r.reason()).as(f.cliName()).isEqualTo(RejectReason.UNKNOWN_ENCODING);
            assertThat(r.locator()).isEqualTo("body");
        }
        assertThat(InputFormat.HELICONE.adapter().parse(latin1, AttributionKeys.defaults()).rejects())
                .singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(RejectReason.UNKNOWN_ENCODING));
    }

    @Test
    void attributionKeysAreConfigurablePerFormat() {
        Properties p = new Properties();
        p.setProperty("helicone.team", "properties.squad");
        p.setProperty("helicone.feature", "properties.product");
        AttributionKeys keys = AttributionKeys.defaults().with(p);
        String row = "{\"request_id\":\"h1\",\"request_created_at\":\"2026-11-02T10:00:00Z\",\"model\":\"gpt-4o\",\"provider\":\"OPENAI\","
                + "\"prompt_tokens\":10,\"completion_tokens\":1,\"request_properties\":{\"Squad\":\"ml-infra\",\"product\":\"autocomplete\",\"team\":\"not-this\"}}";
        var e = InputFormat.HELICONE.adapter().parse(row.getBytes(StandardCharsets.UTF_8), keys).usageEvents().get(0);
        assertThat(e.getTeam()).isEqualTo("ml-infra");
        assertThat(e.getFeature()).isEqualTo("autocomplete");
        var byDefault = InputFormat.HELICONE.adapter().parse(row.getBytes(StandardCharsets.UTF_8), AttributionKeys.defaults()).usageEvents().get(0);
        assertThat(byDefault.getTeam()).isEqualTo("not-this");
    }
}
