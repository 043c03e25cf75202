package dev.tokenledger.bench;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.Retention;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.dedupe.DedupeProcessor;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.InMemorySchemaRegistry;
import dev.tokenledger.serde.ConfluentAvroSerde;
import dev.tokenledger.testing.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;

/**
 * What the dedupe store costs per remembered request id: N random UUID ids (the usual request_id)
 * written through the real DedupeProcessor into its RocksDB window store with the production
 * retention, then the store's bytes on disk counted once the store is flushed (before the driver closes and deletes it).
 * Usage: bench/dedupe-store [IDS] (default 5,000,000).
 */
public final class DedupeStoreSize {

    public static void main(String[] args) throws IOException {
        int ids = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        Retention retention = Retention.of(TokenLedgerConfig.of(Map.of()));
        Path dir = Files.createTempDirectory("dedupe-store-size");
        Serde<UsageEvent> avro = ConfluentAvroSerde.forValues(new InMemorySchemaRegistry(), UsageEvent.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DedupeProcessor.storeBuilder(retention));
        builder.stream("in", Consumed.with(Serdes.String(), avro))
                .processValues(() -> new DedupeProcessor(retention.dedupeWindow(), PipelineMetrics.inMemory()), DedupeProcessor.STORE);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-store-size");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        long t0 = System.nanoTime();
        long bytes;
        // Event time advances 10,000 ids per second, as at the sizing target.
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), p, start.plus(Duration.ofDays(1)))) {
            TestInputTopic<String, UsageEvent> in = driver.createInputTopic("in", Serdes.String().serializer(), avro.serializer());
            UsageEvent.Builder template = TestEvents.event("x", start);
            for (int i = 0; i < ids; i++) {
                String id = UUID.randomUUID().toString();
                Instant at = start.plusMillis(i / 10);
                in.pipeInput(id, template.setRequestId(id).setTimestamp(at).build(), at);
                if (i % 100_000 == 99_999) {
                    drainCapturedOutput(driver); // the driver keeps every changelog record it captured
                }
            }
            // Memtables to SST files (Streams runs RocksDB without a WAL), then count: the driver
            // deletes its state directory when it closes.
            driver.getWindowStore(DedupeProcessor.STORE).flush();
            bytes = size(dir);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ids=%d disk_bytes=%d bytes_per_id=%.1f seconds=%.1f ids_per_second=%.0f retention=%s%n",
                ids, bytes, (double) bytes / ids, seconds, ids / seconds, retention.dedupeStore());
    }

    private static void drainCapturedOutput(TopologyTestDriver driver) {
        for (String topic : driver.producedTopicNames()) {
            driver.createOutputTopic(topic, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
