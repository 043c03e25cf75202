package dev.tokenledger.runtime;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The whole topology on a real in-process KRaft broker, exactly-once, with the money invariant checked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIT {

    /** Two days ago at 10:00 UTC: well inside the acceptance horizon on whatever day the test runs. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2)).plus(Duration.ofHours(10));
    static final Instant PRICE_CHANGE = T0.plus(Duration.ofHours(2));

    EmbeddedStack stack;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        stack = EmbeddedStack.start(dir, Map.of("tokenledger.rollup.emit-interval", "PT0.5S", "commit.interval.ms", "200"),
                PipelineMetrics.inMemory(), msg -> { });
        PriceEntry before = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
        PriceEntry after = price("openai", "gpt-4o", PRICE_CHANGE, "1.25", "5.00");
        ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook,
                List.of(KeyValue.pair(PriceBook.keyOf(before), before), KeyValue.pair(PriceBook.keyOf(after), after)));
        ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().ownership,
                List.of(KeyValue.pair("feature:semantic-search", feature("semantic-search", "search", "ana@example.com"))));
        stack.startPipeline(msg -> { });
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void shouldPriceDedupeDeadLetterAndTieOutExactlyOnTheRealBroker() throws Exception {
        Random random = new Random(11);
        int unique = 2_000;
        try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics());
             OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics())) {
            for (int i = 0; i < unique; i++) {
                // Events on both sides of the price change, some of them out of order.
                Instant at = T0.plusSeconds(random.nextInt(4 * 3600));
                UsageEvent e = event("it-" + i, at)
                        .setInputTokens(1_000 + random.nextInt(20_000))
                        .setOutputTokens(random.nextInt(2_000))
                        .setCustomerId("c" + random.nextInt(5))
                        .build();
                producer.sendAvro(e);
                if (i % 50 == 0) {
                    producer.sendAvro(e); // at-least-once gateway: a duplicate
                }
            }
            producer.sendJson("bad-1", "{not json".getBytes(StandardCharsets.UTF_8));
            producer.sendJson("bad-2", ("{\"request_id\":\"x\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"provider\":\"openai\","
                    + "\"request_model\":\"gpt-4o\",\"input_tokens\":-5}").getBytes(StandardCharsets.UTF_8));
            producer.flush();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                tally.poll(Duration.ofMillis(200));
                OutputTally.Snapshot s = tally.snapshot();
                return s.priced() == unique && s.deadLettered() == 2 && s.tiesOut();
            });
            OutputTally.Snapshot s = tally.snapshot();
            assertThat(s.deadLetteredByReason()).containsEntry("undecodable", 1L).containsEntry("negative_count", 1L);
            assertThat(s.hourlyRollupTotal()).isEqualTo(s.pricedTotal());
            assertThat(s.dailyRollupTotal()).isEqualTo(s.pricedTotal());
            assertThat(stack.metrics().count("tokenledger.duplicates.absorbed")).isEqualTo(unique / 50.0);
        }
        assertPricesFollowTheChange();
    }

    private void assertPricesFollowTheChange() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it-check");
        Map<String, PricedUsage> byId = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(stack.topics().priced.name()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (byId.size() < 2_000 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    PricedUsage u = stack.topics().priced.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    assertThat(byId.put(r.key(), u)).as("request %s priced twice", r.key()).isNull();
                }
            }
        }
        assertThat(byId).hasSize(2_000);
        for (PricedUsage u : byId.values()) {
            UsageEvent e = u.getEvent();
            boolean after = !e.getTimestamp().isBefore(PRICE_CHANGE);
            BigDecimal inputRate = new BigDecimal(after ? "0.00000125" : "0.0000025");
            BigDecimal outputRate = new BigDecimal(after ? "0.000005" : "0.00001");
            BigDecimal expected = inputRate.multiply(BigDecimal.valueOf(e.getInputTokens()))
                    .add(outputRate.multiply(BigDecimal.valueOf(e.getOutputTokens())));
            assertThat(u.getCost().getTotal()).as(e.getRequestId()).isEqualByComparingTo(expected);
            assertThat(u.getPrice().getEffectiveFrom()).isEqualTo(after ? PRICE_CHANGE : Instant.EPOCH);
        }
    }
}
