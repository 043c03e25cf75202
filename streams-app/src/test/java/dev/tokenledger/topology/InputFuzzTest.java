package dev.tokenledger.topology;

import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.validate.UsageEventJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input through the whole topology: mutated JSON and Avro (truncation, wrong types, huge
 * and fractional numbers, bad Unicode, deep nesting, oversized fields, flipped bytes, a wrong
 * wire-format magic byte or schema id). The topology must never throw, and every record read must
 * come out priced, dead-lettered or absorbed as a duplicate: read = priced + DLQ + duplicates.
 *
 * <p>CI runs {@value #CI_RECORDS} records; {@code -Dfuzz.records=1000000} is the full size.
 */
class InputFuzzTest {

    static final int CI_RECORDS = 50_000;
    static final int RECORDS = Integer.getInteger("fuzz.records", CI_RECORDS);
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void shouldAccountForEveryHostileRecordWithoutEverThrowing() {
        String url = "mem://fuzz-" + UUID.randomUUID();
        SchemaRegistry registry = SchemaRegistries.fromUrl(url);
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, url, TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092"));
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        Topics topics = new Topics(config, registry);
        Random random = new Random(Long.getLong("fuzz.seed", 20261201L));
        // Valid events over the six hours before the wall clock, mutated one by one.
        TrafficGenerator events = new TrafficGenerator(GeneratorOptions.defaults(9, NOW.minus(Duration.ofHours(6)))
                .withDuplicateRate(0.0).withMalformedRate(0.0).withEventsPerSecondOfEventTime(RECORDS / (6 * 3600.0)));
        Map<String, Integer> mutations = new TreeMap<>();
        long priced = 0;
        long deadLettered = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(
                new TokenLedgerTopology(config, registry, PriceBook.empty(), metrics).build(),
                PipelineRunner.streamsProperties(config, stateDir), NOW)) {
            PriceEntry gpt = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
            driver.createInputTopic(topics.pricebook.name(), new StringSerializer(), topics.pricebook.valueSerde().serializer())
                    .pipeInput(PriceBook.keyOf(gpt), gpt);
            TestInputTopic<byte[], byte[]> avroIn = driver.createInputTopic(topics.usageAvro.name(), new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> jsonIn = driver.createInputTopic(topics.usageJson.name(), new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> pricedOut = driver.createOutputTopic(topics.priced.name(), new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> dlqOut = driver.createOutputTopic(topics.dlq.name(), new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            Serializer<UsageEvent> avro = topics.avro(UsageEvent.class).serializer();

            for (int i = 0; i < RECORDS; i++) {
                UsageEvent e = events.next();
                byte[] key = e.getRequestId().getBytes(StandardCharsets.UTF_8);
                if (random.nextBoolean()) {
                    Mutated m = mutateJson(UsageEventJson.toTree(e), random);
                    mutations.merge("json." + m.kind(), 1, Integer::sum);
                    jsonIn.pipeInput(random.nextInt(4) == 0 ? key : null, m.bytes(), NOW);
                } else {
                    Mutated m = mutateAvro(avro.serialize(topics.usageAvro.name(), e), random);
                    mutations.merge("avro." + m.kind(), 1, Integer::sum);
                    avroIn.pipeInput(random.nextInt(8) == 0 ? flip(key, random) : key, m.bytes(), NOW);
                }
                if (i % 5_000 == 4_999) {
                    driver.advanceWallClockTime(Duration.ofSeconds(2));
                    priced += pricedOut.readRecordsToList().size();
                    deadLettered += dlqOut.readRecordsToList().size();
                    discardOtherOutput(driver, topics);
                }
            }
            driver.advanceWallClockTime(Duration.ofSeconds(2));
            priced += pricedOut.readRecordsToList().size();
            deadLettered += dlqOut.readRecordsToList().size();
        }
        long read = metrics.eventsRead();
        long duplicates = (long) metrics.count("tokenledger.duplicates.absorbed");
        System.out.printf("InputFuzzTest: %,d records, %,d priced, %,d dead-lettered, %,d duplicates; mutations %s%n",
                read, priced, deadLettered, duplicates, mutations);
        assertThat(read).isEqualTo(RECORDS);
        assertThat(priced + deadLettered + duplicates).as("read = priced + DLQ + duplicates").isEqualTo(read);
        assertThat(deadLettered).as("most mutations are caught").isGreaterThan(RECORDS / 3);
        assertThat(priced).as("some mutations stay valid").isGreaterThan(RECORDS / 50);
    }

    /** The driver keeps every record it captured (rollups, changelogs) until read: a million would fill the heap. */
    static void discardOtherOutput(TopologyTestDriver driver, Topics topics) {
        for (String topic : driver.producedTopicNames()) {
            if (!topic.equals(topics.priced.name()) && !topic.equals(topics.dlq.name())) {
                driver.createOutputTopic(topic, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList();
            }
        }
    }

    record Mutated(String kind, byte[] bytes) {
    }

    static Mutated mutateJson(ObjectNode event, Random r) {
        String[] fields = {"request_id", "timestamp", "provider", "request_model", "input_tokens", "output_tokens",
                "cache_read_input_tokens", "reasoning_output_tokens", "status", "attributes", "team", "latency_ms",
                "provider_reported_cost_usd", "attempt", "service_tier", "batch"};
        String field = fields[r.nextInt(fields.length)];
        switch (r.nextInt(14)) {
            case 0 -> {
                byte[] whole = bytes(event);
                return new Mutated("truncated", Arrays.copyOf(whole, r.nextInt(whole.length)));
            }
            case 1 -> {
                switch (r.nextInt(5)) {
                    case 0 -> event.put(field, "not a number");
                    case 1 -> event.put(field, r.nextInt());
                    case 2 -> event.putArray(field).add(1).add("x");
                    case 3 -> event.putObject(field).put("nested", true);
                    default -> event.putNull(field);
                }
                return new Mutated("wrong_type", bytes(event));
            }
            case 2 -> {
                String[] numbers = {"1e400", "99999999999999999999999999999", "-0", "12.5", "9223372036854775808",
                        "-9223372036854775809", "1E3", "0.000000000000000000001", "NaN", "Infinity"};
                String json = new String(bytes(event), StandardCharsets.UTF_8)
                        .replaceFirst("\"" + field + "\":[^,}]*", "\"" + field + "\":" + numbers[r.nextInt(numbers.length)]);
                return new Mutated("odd_number", json.getBytes(StandardCharsets.UTF_8));
            }
            case 3 -> {
                byte[] whole = bytes(event);
                byte[][] bad = {{(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0}};
                byte[] insert = bad[r.nextInt(bad.length)];
                int at = r.nextInt(whole.length);
                byte[] out = new byte[whole.length + insert.length];
                System.arraycopy(whole, 0, out, 0, at);
                System.arraycopy(insert, 0, out, at, insert.length);
                System.arraycopy(whole, at, out, at + insert.length, whole.length - at);
                return new Mutated("bad_utf8", out);
            }
            case 4 -> {
                event.put(field, r.nextBoolean() ? "\ud800 lone surrogate" : "emoji \uD83D\uDE00 and \u0000 nul");
                return new Mutated("odd_unicode", bytes(event));
            }
            case 5 -> {
                int depth = 100 + r.nextInt(5_000);
                String json = new String(bytes(event), StandardCharsets.UTF_8);
                String nested = "[".repeat(depth) + "]".repeat(depth);
                return new Mutated("deep_nesting", json.replaceFirst("\\{", "{\"deep\":" + nested + ",")
                        .getBytes(StandardCharsets.UTF_8));
            }
            case 6 -> {
                event.put(field, "x".repeat(r.nextBoolean() ? 70_000 : 10_000 + r.nextInt(50_000)));
                return new Mutated("oversized_field", bytes(event));
            }
            case 7 -> {
                return new Mutated("flipped_bytes", flip(bytes(event), r));
            }
            case 8 -> {
                String[] odd = {"", " ", "null", "[]", "\"a string\"", "{}", "42", "{\"request_id\":null}", "[{}]"};
                return new Mutated("not_an_object", odd[r.nextInt(odd.length)].getBytes(StandardCharsets.UTF_8));
            }
            case 9 -> {
                String json = new String(bytes(event), StandardCharsets.UTF_8);
                return new Mutated("duplicate_key", json.replaceFirst("\\{", "{\"input_tokens\":5,").getBytes(StandardCharsets.UTF_8));
            }
            case 10 -> {
                String[] times = {"2026-13-45T00:00:00Z", "1732000000000", "yesterday", "2026-11-20T12:00:00", "0001-01-01T00:00:00Z",
                        "+999999999-12-31T23:59:59Z", "2026-11-20T12:00:00.123456789123Z", "2026-11-20 12:00:00Z"};
                event.put("timestamp", times[r.nextInt(times.length)]);
                return new Mutated("odd_timestamp", bytes(event));
            }
            case 11 -> {
                event.remove(field);
                return new Mutated("missing_field", bytes(event));
            }
            case 12 -> {
                ObjectNode attributes = event.putObject("attributes");
                for (int i = 0; i < 2_000; i++) {
                    attributes.put("k" + i, "v" + i);
                }
                return new Mutated("many_attributes", bytes(event));
            }
            default -> {
                return new Mutated("unchanged", bytes(event));
            }
        }
    }

    static Mutated mutateAvro(byte[] wire, Random r) {
        switch (r.nextInt(8)) {
            case 0 -> {
                byte[] out = wire.clone();
                out[0] = (byte) (1 + r.nextInt(255));
                return new Mutated("wrong_magic", out);
            }
            case 1 -> {
                byte[] out = wire.clone();
                ByteBuffer.wrap(out, 1, 4).putInt(r.nextBoolean() ? 999_999 : -1);
                return new Mutated("unknown_schema_id", out);
            }
            case 2 -> {
                return new Mutated("truncated", Arrays.copyOf(wire, r.nextInt(wire.length)));
            }
            case 3 -> {
                byte[] out = wire.clone();
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    out[5 + r.nextInt(out.length - 5)] = (byte) r.nextInt(256);
                }
                return new Mutated("flipped_body", out);
            }
            case 4 -> {
                byte[] out = Arrays.copyOf(wire, wire.length + 1 + r.nextInt(64));
                return new Mutated("trailing_garbage", out);
            }
            case 5 -> {
                // A string or bytes length varint blown up to gigabytes: a decoder must not allocate it.
                byte[] out = wire.clone();
                int at = 5 + r.nextInt(Math.min(40, out.length - 5));
                out[at] = (byte) 0xFE;
                if (at + 4 < out.length) {
                    out[at + 1] = (byte) 0xFF;
                    out[at + 2] = (byte) 0xFF;
                    out[at + 3] = (byte) 0xFF;
                    out[at + 4] = (byte) 0x0F;
                }
                return new Mutated("huge_length", out);
            }
            case 6 -> {
                byte[][] odd = {{}, {0}, {0, 0, 0, 0}, {0, 0, 0, 0, 1}};
                return new Mutated("tiny", odd[r.nextInt(odd.length)]);
            }
            default -> {
                return new Mutated("unchanged", wire);
            }
        }
    }

    static byte[] flip(byte[] bytes, Random r) {
        byte[] out = bytes.clone();
        if (out.length == 0) {
            return out;
        }
        for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
            out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return out;
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
