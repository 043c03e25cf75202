package dev.tokenledger.topology;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.validate.UsageEventJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The result never depends on arrival order: a backfill of two months, with duplicates (some sent
 * on the other input), bad lines and events older than the horizon, shuffled by a random seed,
 * always prices each unique request exactly once, and the counts and totals are the same exact
 * numbers, on the priced topic and in the rollups.
 */
public class ArrivalOrderTest {

    /** The wall clock of every run: the backfill lies in the 60 days before it. */
    public static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    public static final int UNIQUE = 400;
    public static final int DUPLICATES = 150;
    public static final int BAD = 20;
    public static final int TOO_OLD = 10;

    /** One record: an event as Avro keyed by request_id, an event as unkeyed JSON, or a raw bad JSON line. */
    public record Send(UsageEvent event, boolean json, String rawJson) {
    }

    record Outcome(long priced, BigDecimal pricedTotal, BigDecimal dailyTotal, BigDecimal hourlyTotal,
                   long dlq, double duplicates, double read) {
    }

    @Property(tries = 8)
    void countsAndTotalsDoNotDependOnArrivalOrder(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) throws Exception {
        Outcome outcome = run(traffic(seed));

        assertThat(outcome.priced()).isEqualTo(UNIQUE);
        assertThat(outcome.duplicates()).isEqualTo(DUPLICATES);
        assertThat(outcome.dlq()).isEqualTo(BAD + TOO_OLD);
        assertThat(outcome.read()).isEqualTo(outcome.priced() + outcome.dlq() + outcome.duplicates());
        assertThat(outcome.pricedTotal()).isEqualTo(expectedTotal());
        assertThat(outcome.dailyTotal()).isEqualTo(outcome.pricedTotal());
        assertThat(outcome.hourlyTotal()).isEqualTo(outcome.pricedTotal());
    }

    public static PriceEntry book() {
        return price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
    }

    /** Unique event i; its cost is exact and known: (1000 + i) input tokens, (10 + i) output tokens. */
    static UsageEvent unique(int i, Instant at) {
        return event("req-" + i, at).setInputTokens(1_000 + i).setOutputTokens(10 + i).build();
    }

    public static BigDecimal expectedTotal() {
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < UNIQUE; i++) {
            total = total.add(new BigDecimal("0.0000025").multiply(BigDecimal.valueOf(1_000 + i)))
                    .add(new BigDecimal("0.00001").multiply(BigDecimal.valueOf(10 + i)));
        }
        return total.setScale(12);
    }

    /** The same multiset of records for every seed; only the order (and which input a copy uses) differs. */
    static List<Send> traffic(long seed) {
        return traffic(seed, NOW);
    }

    /** The traffic of {@code seed} for a pipeline whose wall clock reads {@code now}. */
    public static List<Send> traffic(long seed, Instant now) {
        Random times = new Random(42);
        Random order = new Random(seed);
        List<Send> sends = new ArrayList<>();
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < UNIQUE; i++) {
            Instant at = now.minus(Duration.ofMinutes(times.nextInt(60 * 24 * 60)));
            UsageEvent e = unique(i, at);
            events.add(e);
            sends.add(send(e, i % 2 == 0));
        }
        for (int d = 0; d < DUPLICATES; d++) {
            // Re-publications, their event times within three hours of the original (one call by the rule), on either input.
            UsageEvent original = events.get(times.nextInt(events.size()));
            UsageEvent copy = UsageEvent.newBuilder(original)
                    .setTimestamp(original.getTimestamp().plus(Duration.ofMinutes(times.nextInt(180))))
                    .build();
            sends.add(send(copy, order.nextBoolean()));
        }
        for (int b = 0; b < BAD; b++) {
            sends.add(new Send(null, true, "{\"request_id\":\"bad-" + b + "\",\"input_tokens\":-1"));
        }
        for (int o = 0; o < TOO_OLD; o++) {
            sends.add(send(unique(UNIQUE + o, now.minus(Duration.ofDays(70 + o))), true));
        }
        Collections.shuffle(sends, order);
        return sends;
    }

    static Send send(UsageEvent e, boolean json) {
        return new Send(e, json, null);
    }

    static Outcome run(List<Send> sends) throws Exception {
        Path stateDir = Files.createTempDirectory("arrival-order");
        String url = "mem://arrival-order-" + UUID.randomUUID();
        SchemaRegistry registry = SchemaRegistries.fromUrl(url);
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.SCHEMA_REGISTRY_URL, url,
                TokenLedgerConfig.BOOTSTRAP_SERVERS, "unused:9092"));
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        Topics topics = new Topics(config, registry);
        try (TopologyTestDriver driver = new TopologyTestDriver(
                new TokenLedgerTopology(config, registry, PriceBook.empty(), metrics).build(),
                PipelineRunner.streamsProperties(config, stateDir), NOW)) {
            driver.createInputTopic(topics.pricebook.name(), new StringSerializer(), topics.pricebook.valueSerde().serializer())
                    .pipeInput(PriceBook.keyOf(book()), book());
            TestInputTopic<byte[], byte[]> avro = driver.createInputTopic(topics.usageAvro.name(), new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> json = driver.createInputTopic(topics.usageJson.name(), new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, PricedUsage> priced = driver.createOutputTopic(topics.priced.name(), new StringDeserializer(), topics.priced.valueSerde().deserializer());
            TestOutputTopic<String, Rollup> rollups = driver.createOutputTopic(topics.rollups.name(), new StringDeserializer(), topics.rollups.valueSerde().deserializer());
            TestOutputTopic<String, ?> dlq = driver.createOutputTopic(topics.dlq.name(), new StringDeserializer(), topics.dlq.valueSerde().deserializer());
            var avroSerializer = topics.avro(UsageEvent.class).serializer();
            for (Send s : sends) {
                if (s.rawJson() != null) {
                    json.pipeInput(null, s.rawJson().getBytes(StandardCharsets.UTF_8), NOW);
                } else if (s.json()) {
                    json.pipeInput(null, UsageEventJson.toJson(s.event()).getBytes(StandardCharsets.UTF_8), NOW);
                } else {
                    avro.pipeInput(s.event().getRequestId().getBytes(StandardCharsets.UTF_8),
                            avroSerializer.serialize(topics.usageAvro.name(), s.event()), NOW);
                }
            }
            driver.advanceWallClockTime(Duration.ofSeconds(2)); // the rollup stage emits on wall-clock time

            long pricedCount = 0;
            BigDecimal pricedTotal = BigDecimal.ZERO.setScale(12);
            for (PricedUsage p : priced.readValuesToList()) {
                pricedCount++;
                pricedTotal = pricedTotal.add(p.getCost().getTotal());
            }
            Map<String, Rollup> latest = new HashMap<>();
            for (KeyValue<String, Rollup> kv : rollups.readKeyValuesToList()) {
                latest.put(kv.key, kv.value);
            }
            BigDecimal daily = BigDecimal.ZERO.setScale(12);
            BigDecimal hourly = BigDecimal.ZERO.setScale(12);
            for (var e : latest.entrySet()) {
                if (e.getKey().startsWith("daily|")) {
                    daily = daily.add(e.getValue().getCost().getTotal());
                } else {
                    hourly = hourly.add(e.getValue().getCost().getTotal());
                }
            }
            long dead = dlq.readValuesToList().size();
            double read = metrics.count("tokenledger.events.read", "topic", topics.usageAvro.name())
                    + metrics.count("tokenledger.events.read", "topic", topics.usageJson.name());
            return new Outcome(pricedCount, pricedTotal, daily, hourly, dead,
                    metrics.count("tokenledger.duplicates.absorbed"), read);
        }
    }
}
