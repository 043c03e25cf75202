package dev.tokenledger.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.validate.UsageEventJson;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Bad raw payloads for the JSON input topic. Each starts from a plausible event of a separate,
 * seed-derived generator (so producing them never shifts the main event stream) and breaks it in
 * one way.
 */
final class MalformedRecords {

    private static final MalformedKind[] KINDS = MalformedKind.values();
    private static final int TEMPLATE_COUNT = 32;
    private static final long TEMPLATE_STREAM = 0x6d616c666f726d64L;
    private static final Duration FAR_FUTURE = Duration.ofDays(3650);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final UsageEvent[] templates = new UsageEvent[TEMPLATE_COUNT];

    MalformedRecords(GeneratorOptions options) {
        TrafficGenerator source = new TrafficGenerator(options.withSeed(IdSource.mix(options.seed() ^ TEMPLATE_STREAM))
                .withDuplicateRate(0).withMalformedRate(0).withRetryRate(0).withErrorRate(0).withUnknownModelRate(0));
        for (int i = 0; i < TEMPLATE_COUNT; i++) {
            templates[i] = source.next();
        }
    }

    static MalformedKind kindOf(int index) {
        return KINDS[Math.floorMod(index, KINDS.length)];
    }

    byte[] record(int index) {
        UsageEvent template = templates[Math.floorMod(index / KINDS.length, TEMPLATE_COUNT)];
        ObjectNode node = UsageEventJson.toTree(template);
        node.put("request_id", template.getRequestId() + "_m" + index);
        long input = Math.max(1, template.getInputTokens());
        long output = Math.max(1, template.getOutputTokens());
        switch (kindOf(index)) {
            case TRUNCATED_JSON -> {
                byte[] whole = bytes(node);
                return Arrays.copyOf(whole, whole.length / 2);
            }
            case MISSING_REQUEST_ID -> node.remove("request_id");
            case NEGATIVE_TOKENS -> node.put("output_tokens", -output);
            case CACHE_READ_EXCEEDS_INPUT -> {
                node.put("input_tokens", input);
                node.put("cache_read_input_tokens", input + 1 + input / 10);
            }
            case REASONING_EXCEEDS_OUTPUT -> {
                node.put("output_tokens", output);
                node.put("reasoning_output_tokens", output + 1 + output / 2);
            }
            case TIMESTAMP_FAR_IN_FUTURE -> {
                Instant future = template.getTimestamp().plus(FAR_FUTURE);
                node.put("timestamp", dev.tokenledger.validate.Rfc3339.format(future));
            }
            case WRONG_FIELD_TYPE -> node.put("input_tokens", "twelve thousand");
        }
        return bytes(node);
    }

    /** A broken tree is no longer a usage event, so it is written as plain JSON, not through the codec. */
    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
