package dev.tokenledger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.topology.ArrivalOrderTest;
import dev.tokenledger.validate.UsageEventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ArrivalOrderTest}'s shuffled backfill on a real broker with two partitions per topic, so
 * occurrences of one request arrive on different input partitions and through the re-keying
 * repartition: for every shuffle the counts and the total are the same exact numbers.
 */
class ArrivalOrderIT {

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void countsAndTotalsDoNotDependOnArrivalOrderAcrossPartitions(long seed, @TempDir Path dir) throws Exception {
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        try (EmbeddedStack stack = EmbeddedStack.start(dir, Map.of("tokenledger.rollup.emit-interval", "PT0.5S",
                "commit.interval.ms", "200"), metrics, msg -> { })) {
            PriceEntry book = ArrivalOrderTest.book();
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook,
                    List.of(KeyValue.pair(PriceBook.keyOf(book), book)));
            stack.startPipeline(msg -> { });
            int sent = 0;
            try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics());
                 OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics())) {
                for (ArrivalOrderTest.Send s : ArrivalOrderTest.traffic(seed, Instant.now())) {
                    if (s.rawJson() != null) {
                        producer.sendJson(null, s.rawJson().getBytes(StandardCharsets.UTF_8));
                    } else if (s.json()) {
                        producer.sendJson(null, UsageEventJson.toBytes(s.event()));
                    } else {
                        producer.sendAvro(s.event());
                    }
                    sent++;
                }
                producer.flush();
                int expectedRead = sent;
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    tally.poll(Duration.ofMillis(200));
                    OutputTally.Snapshot s = tally.snapshot();
                    long accounted = s.priced() + s.deadLettered() + (long) metrics.count("tokenledger.duplicates.absorbed");
                    return metrics.eventsRead() == expectedRead && accounted == expectedRead && s.tiesOut();
                });
                tally.poll(Duration.ofSeconds(2)); // a late double would show here
                OutputTally.Snapshot s = tally.snapshot();
                assertThat(s.priced()).isEqualTo(ArrivalOrderTest.UNIQUE);
                assertThat(metrics.count("tokenledger.duplicates.absorbed")).isEqualTo(ArrivalOrderTest.DUPLICATES);
                assertThat(s.deadLettered()).isEqualTo(ArrivalOrderTest.BAD + ArrivalOrderTest.TOO_OLD);
                assertThat(s.pricedTotal()).isEqualByComparingTo(ArrivalOrderTest.expectedTotal());
                assertThat(s.hourlyRollupTotal()).isEqualByComparingTo(ArrivalOrderTest.expectedTotal());
                assertThat(s.dailyRollupTotal()).isEqualByComparingTo(ArrivalOrderTest.expectedTotal());
            }
        }
    }
}
