package dev.tokenledger.bench;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.Retention;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.dedupe.DedupeProcessor;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * What Kafka Streams itself sustains on this machine, for comparison with {@code tokenledger bench}:
 * the same embedded broker, the same preloaded Avro usage events and {@code exactly_once_v2}, with
 * topologies that do almost nothing ({@code bytes}: copy each record; {@code avro}: decode and
 * re-encode it; {@code dedupe}: that plus our dedupe window store). Run with {@code bench/streams-floor MODE [EVENTS]}.
 */
public final class StreamsFloor {

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "bytes";
        long events = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
        long warmupMs = 60_000;
        Path dir = Files.createTempDirectory("streams-floor");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            TokenLedgerConfig config = TokenLedgerConfig.builder()
                    .layer("floor", Map.of(TokenLedgerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers())).build();
            SchemaRegistry registry = SchemaRegistries.fromUrl("mem://floor");
            Topics topics = new Topics(config, registry);
            broker.createTopics(List.of(new NewTopic(topics.usageAvro.name(), 2, (short) 1), new NewTopic("floor-out", 2, (short) 1)));
            TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.demoDefaults().withDuplicateRate(0).withMalformedRate(0));
            try (UsageProducer producer = new UsageProducer(broker.bootstrapServers(), topics)) {
                for (long i = 0; i < events; i++) {
                    UsageEvent e = generator.next();
                    e.setTimestamp(Instant.now());
                    producer.sendAvro(e);
                }
                producer.flush();
            }
            System.out.printf("preloaded %,d events; running mode %s%n", events, mode);

            StreamsBuilder builder = new StreamsBuilder();
            Serde<UsageEvent> avro = topics.avro(UsageEvent.class);
            if (mode.equals("bytes")) {
                builder.stream(topics.usageAvro.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                        .to("floor-out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            } else {
                KStream<String, UsageEvent> usage = builder.stream(topics.usageAvro.name(), Consumed.with(Serdes.String(), avro));
                if (mode.equals("dedupe")) {
                    Retention retention = Retention.of(TokenLedgerConfig.of(Map.of()));
                    builder.addStateStore(DedupeProcessor.storeBuilder(retention));
                    usage = usage.processValues(() -> new DedupeProcessor(retention.dedupeWindow(), PipelineMetrics.inMemory()), DedupeProcessor.STORE);
                }
                usage.to("floor-out", Produced.with(Serdes.String(), avro));
            }
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "floor-" + mode);
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "floor-reader");
            try (KafkaStreams streams = new KafkaStreams(builder.build(), p);
                 KafkaConsumer<byte[], byte[]> out = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                out.subscribe(List.of("floor-out"));
                streams.start();
                long start = System.nanoTime();
                long read = 0;
                long warmRead = -1;
                long warmAt = 0;
                long reported = start;
                while (read < events) {
                    read += out.poll(Duration.ofMillis(200)).count();
                    long now = System.nanoTime();
                    if (warmRead < 0 && now - start >= warmupMs * 1_000_000L) {
                        warmRead = read;
                        warmAt = now;
                    }
                    if (now - reported > 5_000_000_000L) {
                        reported = now;
                        System.out.printf("[%3ds] %,d%n", (now - start) / 1_000_000_000L, read);
                    }
                }
                long end = System.nanoTime();
                System.out.printf("mode %s: %,d events in %.1f s = %,d/s overall; %,d/s after %d s of warm-up%n", mode, events,
                        (end - start) / 1e9, Math.round(events / ((end - start) / 1e9)),
                        warmRead < 0 ? -1 : Math.round((events - warmRead) / ((end - warmAt) / 1e9)), warmupMs / 1000);
            }
        }
    }
}
