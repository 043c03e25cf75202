package dev.tokenledger.runtime;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.validate.UsageEventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One input partition weeks behind the other, on the real broker: partition 0 carries live
 * traffic while partition 1 replays a backfill of 30 to 60 days ago, out of order, with duplicates
 * (some arriving as JSON on the other input). Every request is priced exactly once and the hourly
 * and daily rollups tie out with the priced total to the last digit, although the rollup tasks'
 * stream time is weeks ahead of the backfill.
 */
class LaggingPartitionIT {

    @Test
    void shouldPriceEveryRequestOnceAndTieOutWhenAPartitionLagsWeeksBehind(@TempDir Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(dir, Map.of("tokenledger.rollup.emit-interval", "PT0.5S",
                "commit.interval.ms", "200"), PipelineMetrics.inMemory(), msg -> { })) {
            PriceEntry gpt4o = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook,
                    List.of(KeyValue.pair(PriceBook.keyOf(gpt4o), gpt4o)));
            stack.startPipeline(msg -> { });

            Instant now = Instant.now();
            Random random = new Random(3);
            List<String> live = idsOnPartition(0, 1_000);
            List<String> backfill = idsOnPartition(1, 1_000);
            int duplicates = 0;
            try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics());
                 OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics())) {
                for (String id : live) {
                    producer.sendAvro(event(id, now.minusSeconds(random.nextInt(3_600))).setOutputTokens(random.nextInt(500)).build());
                }
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    tally.poll(Duration.ofMillis(200));
                    return tally.snapshot().priced() == live.size();
                });

                List<UsageEvent> old = new ArrayList<>();
                for (String id : backfill) {
                    old.add(event(id, now.minus(Duration.ofDays(30)).minusSeconds(random.nextInt(30 * 86_400)))
                            .setOutputTokens(random.nextInt(500)).build());
                }
                List<Runnable> sends = new ArrayList<>();
                for (UsageEvent e : old) {
                    sends.add(() -> producer.sendAvro(e));
                    if (random.nextInt(4) == 0) {
                        duplicates++;
                        boolean asJson = random.nextBoolean();
                        sends.add(asJson
                                ? () -> producer.sendJson(null, UsageEventJson.toJson(e).getBytes(StandardCharsets.UTF_8))
                                : () -> producer.sendAvro(e));
                    }
                }
                Collections.shuffle(sends, random);
                sends.forEach(Runnable::run);
                producer.flush();

                int expected = live.size() + backfill.size();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    tally.poll(Duration.ofMillis(200));
                    OutputTally.Snapshot s = tally.snapshot();
                    return s.priced() == expected && s.tiesOut();
                });
                tally.poll(Duration.ofSeconds(2)); // nothing more may arrive: no request priced twice
                OutputTally.Snapshot s = tally.snapshot();
                assertThat(s.priced()).isEqualTo(expected);
                assertThat(s.deadLettered()).isZero();
                assertThat(s.hourlyRollupTotal()).isEqualTo(s.pricedTotal());
                assertThat(s.dailyRollupTotal()).isEqualTo(s.pricedTotal());
                assertThat(stack.metrics().count("tokenledger.duplicates.absorbed")).isEqualTo(duplicates);
                assertThat(stack.metrics().count("tokenledger.store.writes.dropped", "store", "rollup-hourly-store")).isZero();
            }
        }
    }

    /** Request ids that Kafka's default partitioner puts on the given one of the stack's partitions. */
    static List<String> idsOnPartition(int partition, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < count; i++) {
            String id = "lag-" + i;
            if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % EmbeddedStack.PARTITIONS == partition) {
                ids.add(id);
            }
        }
        return ids;
    }
}
