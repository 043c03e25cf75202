package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped sink configurations on real parts: an in-process KRaft broker, a Connect standalone worker running
 * the Debezium JDBC sink, and PostgreSQL migrated by Flyway. Only the value converter differs from production:
 * JsonConverter with schemas carries the same Connect schema the Avro converter will produce.
 */
class WarehouseSinkIT {

    private static final String ROLLUPS_TOPIC = "llm.rollups.v1";
    private static final String PRICED_TOPIC = "llm.usage.priced.v1";
    private static final String DLQ_TOPIC = "llm.sink.dlq.v1";
    private static final Duration LANDING = Duration.ofSeconds(60);

    @TempDir
    static Path root;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedWarehouse warehouse;
    private static EmbeddedConnect connect;
    private static KafkaProducer<String, byte[]> producer;
    private static JsonConverter json;
    private static DataSource db;

    private static TimeZone jvmZone;

    @BeforeAll
    static void startPipelineTail() {
        // A worker off UTC: the PostgreSQL driver gives its sessions this zone, and every instant below must still
        // land exactly (UtcZonedTimestamps). Restored after the class.
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        broker = EmbeddedKafkaBroker.start(root.resolve("kafka"));
        broker.createTopics(sinkTopics().stream().map(topic -> new NewTopic(topic, 1, (short) 1)).toList());
        warehouse = EmbeddedWarehouse.start(root.resolve("warehouse"));
        db = warehouse.dataSource();
        connect = EmbeddedConnect.start(broker.bootstrapServers(), root.resolve("connect"));
        for (String name : SinkConnectorConfigs.ALL) {
            connect.startConnector(withJsonValues(SinkConnectorConfigs.sink(name, warehouse, "http://unused")));
            connect.awaitRunning(name, Duration.ofSeconds(60));
        }

        json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    @AfterAll
    static void stopPipelineTail() {
        if (producer != null) {
            producer.close();
        }
        if (connect != null) {
            connect.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
        if (broker != null) {
            broker.close();
        }
        TimeZone.setDefault(jvmZone);
    }

    /** Every topic the shipped sinks read or dead-letter to: the embedded broker creates no topic on first use. */
    private static Set<String> sinkTopics() {
        Set<String> topics = new TreeSet<>();
        for (String name : SinkConnectorConfigs.ALL) {
            Map<String, String> config = SinkConnectorConfigs.load(name);
            for (String key : SinkConnectorConfigs.TOPIC_KEYS) {
                if (config.containsKey(key)) {
                    topics.addAll(List.of(config.get(key).split(",")));
                }
            }
        }
        return topics;
    }

    /** The production config with the Avro converter swapped for JsonConverter (schemas on, decimals as numbers). */
    private static Map<String, String> withJsonValues(Map<String, String> config) {
        Map<String, String> swapped = new HashMap<>(config);
        swapped.remove(SinkConnectorConfigs.SCHEMA_REGISTRY_URL);
        swapped.put("value.converter", JsonConverter.class.getName());
        swapped.put("value.converter.schemas.enable", "true");
        swapped.put("value.converter.decimal.format", "NUMERIC");
        return swapped;
    }

    @Test
    void shouldUpsertRollupsByTheirDimensionsSoResendingTheSameKeysChangesNoTotal() throws Exception {
        List<Map.Entry<String, Struct>> rollups = List.of(
                ConnectShapes.rollup("daily", "2026-03-01T00:00:00Z", "search", "answer", 10, "12.345678901234"),
                ConnectShapes.rollup("daily", "2026-03-02T00:00:00Z", "search", "answer", 5, "0.000000000001"),
                ConnectShapes.rollup("hourly", "2026-03-01T10:00:00Z", "search", "answer", 10, "12.345678901234"));
        send(ROLLUPS_TOPIC, rollups);
        await().atMost(LANDING).until(() -> count("select count(*) from llm_rollups where team = 'search'") == 3);

        assertThat(SqlRows.query(db, """
                select granularity, window_start, cost_total, cost_output, requests
                from llm_rollups where team = 'search' order by granularity, window_start"""))
                .extracting(r -> r.get("granularity") + "|" + r.get("window_start") + "|" + r.get("cost_total") + "|"
                        + r.get("cost_output") + "|" + r.get("requests"))
                .containsExactly(
                        "daily|2026-03-01T00:00:00Z|12.345678901234|12.345678901234|10",
                        "daily|2026-03-02T00:00:00Z|0.000000000001|0.000000000001|5",
                        "hourly|2026-03-01T10:00:00Z|12.345678901234|12.345678901234|10");
        String marchSpend = "select sum(spend_usd) from v_spend_monthly where month = '2026-03-01' and dimension = 'team'";
        assertThat(SqlRows.single(db, marchSpend)).isEqualTo("12.345678901235");

        // The Streams app re-emits every key (a restart, a replay), then a later update of one window.
        send(ROLLUPS_TOPIC, rollups);
        send(ROLLUPS_TOPIC, List.of(
                ConnectShapes.rollup("daily", "2026-03-02T00:00:00Z", "search", "answer", 6, "1.000000000001")));
        await().atMost(LANDING).until(() -> "1.000000000001".equals(SqlRows.single(db,
                "select cost_total from llm_rollups where granularity = 'daily' and window_start = '2026-03-02T00:00:00Z'")));

        assertThat(count("select count(*) from llm_rollups where team = 'search'")).isEqualTo(3);
        assertThat(SqlRows.single(db, marchSpend)).isEqualTo("13.345678901235");
    }

    @Test
    void shouldSendARecordTheConverterCannotReadToTheSinkDlqAndKeepSinking() throws Exception {
        producer.send(new ProducerRecord<>(ROLLUPS_TOPIC, "not-a-rollup", "{ this is not json".getBytes(StandardCharsets.UTF_8))).get();
        send(ROLLUPS_TOPIC, List.of(
                ConnectShapes.rollup("daily", "2026-03-05T00:00:00Z", "dlq-check", "answer", 1, "2.000000000000")));
        await().atMost(LANDING).until(() -> count("select count(*) from llm_rollups where team = 'dlq-check'") == 1);

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(DLQ_TOPIC, 1);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("not-a-rollup");
        assertThat(dead.get(0).headers().lastHeader("__connect.errors.topic").value())
                .isEqualTo(ROLLUPS_TOPIC.getBytes(StandardCharsets.UTF_8));
        assertThat(dead.get(0).headers().lastHeader("__connect.errors.exception.class.name")).isNotNull();
    }

    @Test
    void shouldSinkPricedUsageFlattenedKeyedByRequestIdWithFlagsAndANullPrice() throws Exception {
        List<Map.Entry<String, Struct>> events = List.of(
                Map.entry("req-1", ConnectShapes.pricedUsage("req-1", "2026-03-02T10:00:00Z", "0.004200000000",
                        "0.004100000000", List.of(), true)),
                Map.entry("req-2", ConnectShapes.pricedUsage("req-2", "2026-03-02T11:00:00Z", "0", null,
                        List.of("unpriced"), false)));
        send(PRICED_TOPIC, events);
        send(PRICED_TOPIC, events);
        await().atMost(LANDING).until(() -> count("select count(*) from llm_usage_priced") == 2);

        List<Map<String, String>> rows = SqlRows.query(db, """
                select request_id, event_timestamp, event_provider_reported_cost_usd, event_latency_ms, cost_total,
                       price_tier, price_effective_from, array_to_string(flags, ',') as flags, attribution_owner,
                       attribution_method, billed_model
                from llm_usage_priced order by request_id""");
        assertThat(rows).extracting(r -> String.join("|", r.values().stream().map(String::valueOf).toList()))
                .containsExactly(
                        "req-1|2026-03-02T10:00:00Z|0.004100000000|840|0.004200000000|standard|2026-01-01T00:00:00Z||ann|tagged|gpt-x-2026",
                        "req-2|2026-03-02T11:00:00Z|null|840|0.000000000000|null|null|unpriced|ann|tagged|gpt-x-2026");
        assertThat(connect.state(SinkConnectorConfigs.PRICED_USAGE)).isEqualTo("RUNNING [0=RUNNING]");
    }

    @Test
    void shouldSinkOwnershipAndBudgetsKeyedByTheirValueFieldsLatestWins() throws Exception {
        send("llm.ownership.v1", List.of(
                Map.entry("feature:answer", ConnectShapes.ownership("answer", "search", "ann")),
                Map.entry("feature:answer", ConnectShapes.ownership("answer", "search", "bob"))));
        send("llm.budgets.v1", List.of(
                Map.entry("team:search:monthly", ConnectShapes.budget("search", "100", 80, 100, "alert")),
                Map.entry("team:search:monthly", ConnectShapes.budget("search", "150.5", 75, 110, "downgrade:gpt-x-mini"))));
        await().atMost(LANDING).until(() -> count("select count(*) from llm_budgets where action <> 'alert'") == 1
                && count("select count(*) from llm_ownership where owner = 'bob'") == 1);

        assertThat(SqlRows.query(db, "select key_type, key, feature, team, cost_center, owner from llm_ownership"))
                .extracting(r -> String.join("|", r.values()))
                .containsExactly("feature|answer|answer|search|cc-42|bob");
        assertThat(SqlRows.query(db, "select scope_type, scope_id, period, amount_usd, soft_pct, hard_pct, action, updated_at from llm_budgets"))
                .extracting(r -> String.join("|", r.values()))
                .containsExactly("team|search|monthly|150.500000000000|75|110|downgrade:gpt-x-mini|2026-03-01T08:00:00Z");
    }

    private static void send(String topic, List<Map.Entry<String, Struct>> records) throws Exception {
        for (Map.Entry<String, Struct> record : records) {
            byte[] value = json.fromConnectData(topic, record.getValue().schema(), record.getValue());
            producer.send(new ProducerRecord<>(topic, record.getKey(), value));
        }
        producer.flush();
    }

    private static long count(String sql) {
        return Long.parseLong(SqlRows.single(db, sql));
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + LANDING.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // One more poll so an unexpected extra record would show.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }
}
