package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.validate.UsageEventJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MalformedRecordsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final GeneratorOptions OPTIONS = GeneratorOptions.defaults(42, Instant.now().minus(Duration.ofDays(1)));
    private static final List<String> TOKEN_FIELDS = List.of("input_tokens", "cache_read_input_tokens",
            "cache_creation_input_tokens", "cache_creation_1h_input_tokens", "output_tokens", "reasoning_output_tokens");

    @Test
    void shouldBreakEveryMalformedPayloadInTheWayItsKindSays() {
        TrafficGenerator generator = new TrafficGenerator(OPTIONS);
        for (int i = 0; i < 10 * MalformedKind.values().length; i++) {
            MalformedKind kind = MalformedRecords.kindOf(i);
            assertThat(violation(generator.malformedRecord(i))).as("record %d", i).contains(kind);
        }
    }

    @Test
    void shouldWriteValidEventsAsJsonThatBreaksNoRule() {
        TrafficGenerator generator = new TrafficGenerator(OPTIONS);
        for (int i = 0; i < 5_000; i++) {
            UsageEvent event = generator.next();
            assertThat(violation(UsageEventJson.toBytes(event))).as(event.getRequestId()).isEmpty();
        }
    }

    @Test
    void shouldWriteJsonWithAvroFieldNamesRfc3339TimeAndDecimalStrings() throws IOException {
        TrafficGenerator generator = new TrafficGenerator(OPTIONS);
        UsageEvent withCost = null;
        while (withCost == null) {
            UsageEvent event = generator.next();
            if (event.getProviderReportedCostUsd() != null) {
                withCost = event;
            }
        }
        JsonNode json = MAPPER.readTree(UsageEventJson.toBytes(withCost));

        assertThat(Instant.parse(json.get("timestamp").asText())).isEqualTo(withCost.getTimestamp());
        assertThat(json.get("provider_reported_cost_usd").isTextual()).isTrue();
        assertThat(new BigDecimal(json.get("provider_reported_cost_usd").asText()))
                .isEqualTo(withCost.getProviderReportedCostUsd());
        assertThat(json.get("request_id").asText()).isEqualTo(withCost.getRequestId());
        assertThat(json.get("input_tokens").asLong()).isEqualTo(withCost.getInputTokens());
        assertThat(json.get("attributes").get("prompt_version").asText())
                .isEqualTo(withCost.getAttributes().get("prompt_version"));
        assertThat(json.has("retry_of")).isFalse();
    }

    @Test
    void shouldProduceTheSameMalformedPayloadForTheSameSeedAndIndex() {
        TrafficGenerator first = new TrafficGenerator(OPTIONS);
        TrafficGenerator second = new TrafficGenerator(OPTIONS);
        for (int i = 0; i < 30; i++) {
            assertThat(second.malformedRecord(i)).isEqualTo(first.malformedRecord(i));
        }
        assertThat(first.malformedRecord(0)).isNotEqualTo(first.malformedRecord(MalformedKind.values().length));
    }

    @Test
    void shouldNotShiftTheEventStreamWhenMalformedPayloadsAreAskedFor() {
        TrafficGenerator plain = new TrafficGenerator(OPTIONS);
        TrafficGenerator interleaved = new TrafficGenerator(OPTIONS);
        List<UsageEvent> expected = new ArrayList<>();
        List<UsageEvent> actual = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            expected.add(plain.next());
            if (i % 100 == 0) {
                interleaved.malformedRecord(i);
            }
            actual.add(interleaved.next());
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * The rules a validator of the JSON topic applies (docs/architecture.md §Stages, docs/pricing.md §2);
     * the first one broken.
     */
    private static Optional<MalformedKind> violation(byte[] payload) {
        JsonNode json;
        try {
            json = MAPPER.readTree(payload);
        } catch (IOException e) {
            return Optional.of(MalformedKind.TRUNCATED_JSON);
        }
        if (json == null || !json.hasNonNull("request_id") || json.get("request_id").asText().isBlank()) {
            return Optional.of(MalformedKind.MISSING_REQUEST_ID);
        }
        for (String field : TOKEN_FIELDS) {
            if (json.has(field) && !json.get(field).isIntegralNumber()) {
                return Optional.of(MalformedKind.WRONG_FIELD_TYPE);
            }
            if (json.has(field) && json.get(field).asLong() < 0) {
                return Optional.of(MalformedKind.NEGATIVE_TOKENS);
            }
        }
        if (json.path("cache_read_input_tokens").asLong() + json.path("cache_creation_input_tokens").asLong()
                > json.path("input_tokens").asLong()) {
            return Optional.of(MalformedKind.CACHE_READ_EXCEEDS_INPUT);
        }
        if (json.path("reasoning_output_tokens").asLong() > json.path("output_tokens").asLong()) {
            return Optional.of(MalformedKind.REASONING_EXCEEDS_OUTPUT);
        }
        try {
            if (Instant.parse(json.get("timestamp").asText()).isAfter(Instant.now().plus(Duration.ofDays(2)))) {
                return Optional.of(MalformedKind.TIMESTAMP_FAR_IN_FUTURE);
            }
        } catch (DateTimeParseException e) {
            return Optional.of(MalformedKind.WRONG_FIELD_TYPE);
        }
        return Optional.empty();
    }
}
