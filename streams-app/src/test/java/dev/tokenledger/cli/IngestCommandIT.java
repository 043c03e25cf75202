package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.runtime.TopicSetup;
import dev.tokenledger.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenledger ingest} against a real broker: events on the usage topic keyed by request_id, rejects on the DLQ with their reason and line. */
class IngestCommandIT {

    private static final String REGISTRY = "mem://ingest-command-it";

    @Test
    void shouldPublishEventsAndDeadLetterTheRejects(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("converse.jsonl");
        try (var in = getClass().getResourceAsStream("/adapters/bedrock-usage/converse.jsonl")) {
            Files.write(file, in.readAllBytes());
        }
        Files.writeString(file, Files.readString(file)
                + "{\"request_id\":\"bedrock-bad-3\",\"timestamp\":\"2026-11-02T15:02:00Z\",\"model\":\"m\"}\n"
                + "{\"request_id\":\"bedrock-bad-4\",\"timestamp\":\"2026-11-02T15:03:00Z\",\"model\":\"m\",\"usage\":{\"inputTokens\":\"lots\"}}\n");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics topics = new Topics(TokenLedgerConfig.of(Map.of()), SchemaRegistries.fromUrl(REGISTRY));
            TopicSetup.ensure(admin, TopicSetup.plan(topics, 2, (short) 1));

            PriceInputFormatTest.Run r = PriceInputFormatTest.run("ingest", "--input-format", "bedrock-usage", file.toString(),
                    "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", REGISTRY);

            assertThat(r.exit()).as(r.err()).isEqualTo(1); // rejects were published, and they make the exit code 1
            assertThat(r.out()).contains("2 events, 2 rejected, 0 ignored (bedrock-usage)")
                    .contains("published 2 events to llm.usage.v1 and 2 rejects to llm.usage.dlq.v1; 4 acknowledged");
            assertThat(r.err()).contains("error: line 3: field 'usage': missing_usage:")
                    .contains("error: line 4: field 'usage.inputTokens': invalid_type:");

            List<ConsumerRecord<byte[], byte[]>> usage = readAll(broker, topics.usageAvro.name(), 2);
            var deserializer = topics.avro(UsageEvent.class).deserializer();
            List<UsageEvent> events = usage.stream().map(rec -> deserializer.deserialize(rec.topic(), rec.value()))
                    .sorted(java.util.Comparator.comparing(UsageEvent::getRequestId)).toList();
            assertThat(events).extracting(UsageEvent::getRequestId).containsExactly("bedrock-0c7e4b2a-1", "bedrock-0c7e4b2a-2");
            assertThat(events.get(0).getInputTokens()).isEqualTo(3500); // 500 uncached + 2000 read + 1000 written
            assertThat(events.get(0).getProvider()).isEqualTo("aws.bedrock");
            for (ConsumerRecord<byte[], byte[]> rec : usage) {
                String key = new String(rec.key(), StandardCharsets.UTF_8);
                assertThat(deserializer.deserialize(rec.topic(), rec.value()).getRequestId()).isEqualTo(key);
            }

            List<DeadLetter> dead = readAll(broker, topics.dlq.name(), 2).stream()
                    .map(rec -> topics.dlq.valueSerde().deserializer().deserialize(rec.topic(), rec.value()))
                    .sorted(java.util.Comparator.comparing(DeadLetter::getSourceOffset)).toList();
            assertThat(dead).extracting(DeadLetter::getReason).containsExactly("missing_usage", "invalid_type");
            assertThat(dead).extracting(DeadLetter::getSourceOffset).containsExactly(3L, 4L);
            assertThat(dead).extracting(DeadLetter::getStage).containsOnly("ingest");
            assertThat(dead).extracting(DeadLetter::getSourceTopic).containsOnly("ingest:bedrock-usage");
            assertThat(dead.get(1).getField()).isEqualTo("usage.inputTokens");
            assertThat(StandardCharsets.UTF_8.decode(dead.get(0).getOriginalValue()).toString()).contains("bedrock-bad-3");
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // one more short poll: nothing beyond what was expected may be there
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            assertThat(records).as(topic).hasSize(expected);
            return records;
        }
    }
}
