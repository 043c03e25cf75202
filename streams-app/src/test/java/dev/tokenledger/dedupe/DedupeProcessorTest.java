package dev.tokenledger.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.Retention;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.InMemorySchemaRegistry;
import dev.tokenledger.serde.ConfluentAvroSerde;
import dev.tokenledger.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dedupe rule at its edges: an id seen within the window either side in event time is absorbed,
 * across bucket boundaries, and however far behind the newest event an occurrence arrives.
 */
class DedupeProcessorTest {

    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Retention STORE_RETENTION = new Retention(Duration.ofDays(62), Duration.ofMinutes(5), RETENTION);
    /** Just before a bucket boundary, so +1 h already lands in the next bucket. */
    private static final Instant T = Instant.parse("2026-11-02T23:30:00Z");

    private final PipelineMetrics metrics = PipelineMetrics.inMemory();
    private TopologyTestDriver driver;
    private TestInputTopic<String, UsageEvent> in;
    private TestOutputTopic<String, UsageEvent> out;

    @BeforeEach
    void setUp() {
        Serde<UsageEvent> avro = ConfluentAvroSerde.forValues(new InMemorySchemaRegistry(), UsageEvent.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DedupeProcessor.storeBuilder(STORE_RETENTION));
        builder.stream("in", Consumed.with(Serdes.String(), avro))
                .processValues(() -> new DedupeProcessor(RETENTION, metrics), DedupeProcessor.STORE)
                .to("out", Produced.with(Serdes.String(), avro));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", Serdes.String().serializer(), avro.serializer());
        out = driver.createOutputTopic("out", Serdes.String().deserializer(), avro.deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(String requestId, Instant at) {
        UsageEvent e = TestEvents.event(requestId, at).build();
        in.pipeInput(requestId, e, at);
    }

    private List<String> passed() {
        return out.readValuesToList().stream().map(e -> e.getRequestId() + "@" + e.getTimestamp()).toList();
    }

    @Test
    void shouldAbsorbARepublicationWithinTheRetentionOnEitherSideAndAcrossBuckets() {
        send("r1", T);
        send("r1", T);                                 // same event again
        send("r1", T.plus(Duration.ofHours(1)));       // next bucket
        send("r1", T.minus(Duration.ofHours(23)));     // earlier, same bucket
        send("r1", T.plus(RETENTION));                 // exactly at the retention: still a duplicate

        assertThat(passed()).containsExactly("r1@" + T);
        assertThat(metrics.count("tokenledger.duplicates.absorbed")).isEqualTo(4.0);
    }

    @Test
    void shouldPassTheSameIdAgainOnceBeyondTheRetention() {
        send("r2", T);
        send("r2", T.plus(RETENTION).plusMillis(1));
        send("r2", T.minus(RETENTION).minusMillis(1));

        assertThat(passed()).hasSize(3);
        assertThat(metrics.count("tokenledger.duplicates.absorbed")).isZero();
    }

    @Test
    void shouldKeepDistinctIdsApart() {
        send("a", T);
        send("b", T);
        send("a", T.plusSeconds(5));

        assertThat(passed()).containsExactly("a@" + T, "b@" + T);
    }

    @Test
    void shouldAbsorbDuplicatesOfEventsFarBehindTheNewestInAnyOrder() {
        // A live event first, then a backfill of the past two months, newest first, each event sent
        // twice with other events in between: the store's stream time is 60 days ahead of the oldest.
        send("live", T);
        int days = 60;
        for (int d = 1; d <= days; d++) {
            send("old-" + d, T.minus(Duration.ofDays(d)));
        }
        for (int d = days; d >= 1; d--) {
            send("old-" + d, T.minus(Duration.ofDays(d)));
        }
        send("live", T);

        assertThat(passed()).hasSize(days + 1);
        assertThat(metrics.count("tokenledger.duplicates.absorbed")).isEqualTo(days + 1.0);
    }

    @Test
    void shouldAbsorbAnOldDuplicateThatArrivesAfterMuchNewerTraffic() {
        Instant old = T.minus(Duration.ofDays(45));
        send("r3", old);
        for (int h = 0; h < 45 * 24; h += 6) {
            send("fill-" + h, old.plus(Duration.ofHours(h)));
        }
        send("newest", T);
        send("r3", old.plus(Duration.ofHours(3)));

        assertThat(passed()).filteredOn(s -> s.startsWith("r3@")).containsExactly("r3@" + old);
    }
}
