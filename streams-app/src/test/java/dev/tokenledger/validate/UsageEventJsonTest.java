package dev.tokenledger.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageEventJsonTest {

    static final Path EXAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("../examples").normalize();

    private static final String MINIMAL = """
            {"request_id": "r-1", "timestamp": "2026-11-02T10:15:30.123Z", "provider": "openai", "request_model": "gpt-4o"}""";

    private static String minimalWith(String extraFields) {
        return MINIMAL.substring(0, MINIMAL.length() - 1) + ", " + extraFields + "}";
    }

    private static Violation onlyViolation(String json) {
        ParseResult result = UsageEventJson.parse(json);
        assertThat(result.isValid()).as("expected %s to be rejected", json).isFalse();
        assertThat(result.violations()).hasSize(1);
        return result.violations().get(0);
    }

    @Test
    void shouldParseTheExampleAnthropicCall() throws IOException {
        ParseResult result = UsageEventJson.parse(Files.readAllBytes(EXAMPLES.resolve("usage-event.json")));

        assertThat(result.violations()).isEmpty();
        UsageEvent e = result.event();
        assertThat(e.getProvider()).isEqualTo("anthropic");
        assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-02T10:15:30.123Z"));
        assertThat(e.getInputTokens()).isEqualTo(48_210);
        assertThat(e.getCacheReadInputTokens()).isEqualTo(36_000);
        assertThat(e.getCacheCreationInputTokens()).isEqualTo(9_800);
        assertThat(e.getCacheCreation1hInputTokens()).isEqualTo(6_000);
        assertThat(e.getTeam()).isEqualTo("support-platform");
        assertThat(e.getFeature()).isEqualTo("support-copilot");
        assertThat(e.getCustomerId()).isEqualTo("cus_acme_corp");
        assertThat(e.getAttributes()).containsEntry("route", "/v1/messages");
        assertThat(UsageValidator.withDefaults().validate(e, e.getTimestamp())).isEmpty();
    }

    @Test
    void shouldDecodeEveryExampleLineAndRejectOnlyTheDeliberatelyInvalidOne() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLES.resolve("usage-events.jsonl"), StandardCharsets.UTF_8);
        UsageValidator validator = UsageValidator.withDefaults();
        Instant now = Instant.parse("2026-11-03T00:00:00Z");
        int invalid = 0;
        for (String line : lines) {
            ParseResult result = UsageEventJson.parse(line);
            assertThat(result.violations()).as(line).isEmpty();
            List<Violation> violations = validator.validate(result.event(), now);
            if (!violations.isEmpty()) {
                invalid++;
                assertThat(violations).extracting(Violation::reason, Violation::field)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(
                                Violation.SUBSET_EXCEEDS_TOTAL, "cache_read_input_tokens"));
            }
        }
        assertThat(lines).hasSizeBetween(10, 20);
        assertThat(invalid).isEqualTo(1);
    }

    @Test
    void shouldApplyTheAvroDefaultsToAbsentFields() {
        UsageEvent e = UsageEventJson.parse(MINIMAL).event();

        assertThat(e.getAttempt()).isEqualTo(1);
        assertThat(e.getServiceTier()).isEqualTo("standard");
        assertThat(e.getStatus()).isEqualTo("success");
        assertThat(e.getBatch()).isFalse();
        assertThat(e.getInputTokens()).isZero();
        assertThat(e.getLatencyMs()).isNull();
        assertThat(e.getProviderReportedCostUsd()).isNull();
        assertThat(e.getAttributes()).isEmpty();
    }

    @Test
    void shouldIgnoreUnknownFieldsOfAnyShape() {
        ParseResult result = UsageEventJson.parse(minimalWith(
                "\"gateway_build\": \"2026.11.1\", \"trace\": {\"spans\": [1, {\"x\": null}]}, \"sampled\": true"));
        assertThat(result.violations()).isEmpty();
    }

    @Test
    void shouldConvertAnOffsetTimestampToUtc() {
        UsageEvent e = UsageEventJson.parse(MINIMAL.replace("2026-11-02T10:15:30.123Z", "2026-11-02T12:15:30.123+02:00")).event();
        assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-02T10:15:30.123Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"0.0256\"                         | 0.025600000000",
            "0.0256                             | 0.025600000000",
            "0.1                                | 0.100000000000",
            "12                                 | 12.000000000000",
            "1.5E-3                             | 0.001500000000",
            "\"12345678901234.123456789012\"    | 12345678901234.123456789012",
            "12345678901234.123456789012        | 12345678901234.123456789012",
            "\"0.12300000000000000000\"         | 0.123000000000"})
    void shouldReadProviderCostExactlyFromStringOrNumber(String json, String expected) {
        UsageEvent e = UsageEventJson.parse(minimalWith("\"provider_reported_cost_usd\": " + json)).event();
        assertThat(e.getProviderReportedCostUsd()).isEqualTo(new BigDecimal(expected));
        assertThat(e.getProviderReportedCostUsd().scale()).isEqualTo(12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0.0000000000001\"", "0.0000000000001", "\"1e-3\"", "\"$1.20\"", "\"1.\"", "\".5\"",
            "\"\"", "1e40", "\"123456789012345678901234567\""})
    void shouldRejectACostThatIsNotAnExactDecimalAtMoneyScale(String json) {
        Violation v = onlyViolation(minimalWith("\"provider_reported_cost_usd\": " + json));
        assertThat(v.reason()).isEqualTo(Violation.INVALID_VALUE);
        assertThat(v.field()).isEqualTo("provider_reported_cost_usd");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"input_tokens\": \"12800\"     | input_tokens",
            "\"input_tokens\": 12.5          | input_tokens",
            "\"output_tokens\": null         | output_tokens",
            "\"attempt\": \"2\"              | attempt",
            "\"batch\": \"true\"             | batch",
            "\"status\": 200                 | status",
            "\"service_tier\": null          | service_tier",
            "\"team\": [\"a\"]               | team",
            "\"latency_ms\": \"fast\"        | latency_ms",
            "\"attributes\": [\"a\", \"b\"]  | attributes",
            "\"attributes\": {\"retries\": 3} | attributes.retries",
            "\"provider_reported_cost_usd\": true | provider_reported_cost_usd"})
    void shouldNameTheFieldOfAWrongType(String field, String name) {
        Violation v = onlyViolation(minimalWith(field));
        assertThat(v.reason()).isEqualTo(Violation.INVALID_TYPE);
        assertThat(v.field()).isEqualTo(name);
    }

    @Test
    void shouldNameTheTimestampWhenItIsAnEpochNumber() {
        Violation v = onlyViolation(MINIMAL.replace("\"2026-11-02T10:15:30.123Z\"", "1793700930123"));
        assertThat(v).extracting(Violation::reason, Violation::field).containsExactly(Violation.INVALID_TYPE, "timestamp");
    }

    @Test
    void shouldRejectAnUnparsableTimestampAsInvalidValue() {
        Violation v = onlyViolation(MINIMAL.replace("2026-11-02T10:15:30.123Z", "2026-11-02 10:15"));
        assertThat(v).extracting(Violation::reason, Violation::field).containsExactly(Violation.INVALID_VALUE, "timestamp");
    }

    @Test
    void shouldRejectCountsBeyondTheirIntegerRange() {
        assertThat(onlyViolation(minimalWith("\"input_tokens\": 9223372036854775808")))
                .extracting(Violation::reason, Violation::field).containsExactly(Violation.INVALID_VALUE, "input_tokens");
        assertThat(onlyViolation(minimalWith("\"attempt\": 2147483648")))
                .extracting(Violation::reason, Violation::field).containsExactly(Violation.INVALID_VALUE, "attempt");
    }

    @Test
    void shouldReportEveryMissingRequiredField() {
        ParseResult result = UsageEventJson.parse("{\"request_id\": \"  \", \"provider\": null}");

        assertThat(result.isValid()).isFalse();
        assertThat(result.violations()).extracting(Violation::reason).containsOnly(Violation.MISSING_FIELD);
        assertThat(result.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("request_id", "provider", "request_model", "timestamp");
    }

    @Test
    void shouldReportAWrongTypeOnceNotAlsoAsMissing() {
        Violation v = onlyViolation(MINIMAL.replace("\"r-1\"", "42"));
        assertThat(v).extracting(Violation::reason, Violation::field).containsExactly(Violation.INVALID_TYPE, "request_id");
    }

    @Test
    void shouldCollectSeveralViolationsOfOneEvent() {
        ParseResult result = UsageEventJson.parse(minimalWith("\"input_tokens\": \"x\", \"output_tokens\": 1.5, \"batch\": 1"));
        assertThat(result.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("input_tokens", "output_tokens", "batch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{\"request_id\": ", "[1, 2]", "\"text\"", "42", "null",
            "{\"request_id\": \"r-1\"} {\"request_id\": \"r-2\"}", "{\"request_id\": \"a\", \"request_id\": \"b\"}",
            "{'request_id': 'r-1'}"})
    void shouldRejectWhatIsNotOneJsonObjectAsUndecodable(String json) {
        Violation v = onlyViolation(json);
        assertThat(v.reason()).isEqualTo(Violation.UNDECODABLE);
        assertThat(v.field()).isNull();
        assertThat(v.detail()).isNotBlank();
    }

    @Test
    void shouldRejectNullInputAsUndecodable() {
        assertThat(UsageEventJson.parse((String) null).violations()).extracting(Violation::reason)
                .containsExactly(Violation.UNDECODABLE);
        assertThat(UsageEventJson.parse((byte[]) null).violations()).extracting(Violation::reason)
                .containsExactly(Violation.UNDECODABLE);
    }

    @Test
    void shouldWriteDecimalsAsStringsAndTimestampsAsRfc3339() {
        UsageEvent e = UsageEventJson.parse(minimalWith(
                "\"provider_reported_cost_usd\": 0.0256, \"latency_ms\": 812, \"attributes\": {\"route\": \"/v1/chat\"}")).event();

        String json = UsageEventJson.toJson(e);

        assertThat(json).contains("\"provider_reported_cost_usd\":\"0.025600000000\"")
                .contains("\"timestamp\":\"2026-11-02T10:15:30.123Z\"")
                .contains("\"latency_ms\":812")
                .contains("\"attributes\":{\"route\":\"/v1/chat\"}")
                .doesNotContain("null")
                .doesNotContain("\n");
        assertThat(UsageEventJson.parse(json).event()).isEqualTo(e);
    }

    @Test
    void shouldRoundTripTheExampleEvent() throws IOException {
        UsageEvent e = UsageEventJson.parse(Files.readString(EXAMPLES.resolve("usage-event.json"))).event();
        assertThat(UsageEventJson.parse(UsageEventJson.toJson(e).getBytes(StandardCharsets.UTF_8)).event()).isEqualTo(e);
    }

    @Test
    void shouldKeepUnicodeAndEscapesInTags() {
        String json = minimalWith("\"team\": \"données \\\"équipe\\\" 日本\", \"attributes\": {\"k\\n\": \"€\"}");
        UsageEvent e = UsageEventJson.parse(json.getBytes(StandardCharsets.UTF_8)).event();
        assertThat(e.getTeam()).isEqualTo("données \"équipe\" 日本");
        assertThat(e.getAttributes()).isEqualTo(Map.of("k\n", "€"));
        assertThat(UsageEventJson.parse(UsageEventJson.toJson(e)).event()).isEqualTo(e);
    }
}
