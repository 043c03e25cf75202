package dev.tokenledger.warehouse;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way from a gateway to the analyst's view on real parts: the in-process KRaft broker, the Streams
 * application (exactly-once), a Kafka Connect standalone worker running the shipped Debezium JDBC sink configs with
 * the real {@code ConfluentAvroConverter} on the stack's registry, and PostgreSQL migrated by Flyway. The money
 * invariant is held across the sink: the warehouse totals equal the stream totals to the last digit, and stay so
 * when records are re-delivered, aborted or replayed from the start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarehouseEndToEndIT {

    private static final int UNIQUE = 1_000;
    private static final List<String> SINKS = List.of(SinkConnectorConfigs.ROLLUPS, SinkConnectorConfigs.PRICED_USAGE);
    private static final Duration LANDING = Duration.ofSeconds(120);
    private static final String SINK_DLQ = "llm.sink.dlq.v1";

    private Path dir;
    private EmbeddedStack stack;
    private EmbeddedWarehouse warehouse;
    private EmbeddedConnect connect;
    private DataSource db;
    private TimeZone jvmZone;
    private int connectStarts;

    /** Event time of every unique request sent, to check instants land exactly. */
    private final Map<String, Instant> sentAt = new HashMap<>();
    /** What the stream committed, by OutputTally, once it tied out. */
    private OutputTally.Snapshot stream;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        // The worker (this JVM) off UTC: every instant must still land exactly (the sink's UtcZonedTimestamps).
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));

        stack = EmbeddedStack.start(dir.resolve("stack"),
                Map.of("tokenledger.rollup.emit-interval", "PT0.5S", "commit.interval.ms", "200"),
                PipelineMetrics.inMemory(), msg -> { });
        PriceEntry gpt = price("openai", "gpt-4o", Instant.EPOCH, "2.50", "10.00");
        // Rates with every decimal used, so costs carry all 12 digits of scale.
        PriceEntry claude = price("anthropic", "claude-sonnet-4-5", Instant.EPOCH, "3.333333", "16.666667");
        ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().pricebook,
                List.of(KeyValue.pair(PriceBook.keyOf(gpt), gpt), KeyValue.pair(PriceBook.keyOf(claude), claude)));
        Ownership search = feature("semantic-search", "search", "dana@example.com");
        Ownership support = feature("support-copilot", "support", "omar@example.com");
        ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().ownership,
                List.of(KeyValue.pair("feature:semantic-search", search), KeyValue.pair("feature:support-copilot", support)));
        stack.startPipeline(msg -> { });

        warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"));
        db = warehouse.dataSource();
        connect = startSinks();

        try (UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics());
             OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics())) {
            sendTraffic(producer);
            await().atMost(LANDING).pollInterval(Duration.ofMillis(250)).until(() -> {
                tally.poll(Duration.ofMillis(200));
                OutputTally.Snapshot s = tally.snapshot();
                return s.priced() == UNIQUE && s.tiesOut();
            });
            stream = tally.snapshot();
        }
        assertThat(stream.deadLettered()).isZero();
        assertThat(stream.unpriced()).isPositive();
        assertThat(stack.metrics().count("tokenledger.duplicates.absorbed")).isEqualTo(UNIQUE / 40.0);
    }

    @AfterAll
    void stop() {
        if (connect != null) {
            connect.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
        if (stack != null) {
            stack.close();
        }
        TimeZone.setDefault(jvmZone);
    }

    @Test
    @Order(1)
    void shouldLandExactlyTheStreamTotalsInTheWarehouse() throws Exception {
        awaitWarehouseEqualsStream();

        Totals landed = totals();
        System.out.printf("WarehouseEndToEndIT: %d priced rows, %d rollup rows; stream priced total %s; warehouse "
                        + "priced %s, daily %s, hourly %s%n", landed.pricedRows(), rollupRows(),
                stream.pricedTotal().toPlainString(), landed.pricedSum().toPlainString(),
                landed.dailySum().toPlainString(), landed.hourlySum().toPlainString());
        assertThat(landed.dailySum().toPlainString()).isEqualTo(stream.pricedTotal().toPlainString());
        assertThat(landed.hourlySum().toPlainString()).isEqualTo(stream.pricedTotal().toPlainString());
        assertThat(landed.pricedSum().toPlainString()).isEqualTo(stream.pricedTotal().toPlainString());
        assertThat(stream.pricedTotal().scale()).isEqualTo(12);
        assertThat(sinkDlqRecords()).as("records the sink could not convert").isZero();

        Map<String, Instant> landedAt = new HashMap<>();
        query("select request_id, event_timestamp from llm_usage_priced", rows -> {
            while (rows.next()) {
                landedAt.put(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant());
            }
        });
        assertThat(landedAt).isEqualTo(sentAt);
        assertThat(scalar("""
                select count(*) from llm_rollups
                where window_start <> case granularity
                    when 'daily' then date_trunc('day', window_start, 'UTC')
                    else date_trunc('hour', window_start, 'UTC') end""")).isEqualTo(0L);
    }

    @Test
    @Order(2)
    void shouldIgnoreAbortedTransactionsAndUpsertRedeliveredRecordsWithoutChangingAnyTotal() throws Exception {
        awaitWarehouseEqualsStream();
        String before = fingerprint();

        Map<String, ConsumerRecord<byte[], byte[]>> rollups = latestByKey(stack.topics().rollups.name());
        Map<String, ConsumerRecord<byte[], byte[]>> priced = latestByKey(stack.topics().priced.name());
        abortTransactionWithRecordsThatNeverHappened(rollups.values().iterator().next(), priced.values().iterator().next());
        // At-least-once delivery: every latest rollup and every priced record arrives a second time, after the
        // aborted ones in each partition, so once the sink has committed past them it has passed the aborted ones too.
        Map<TopicPartition, Long> resentUpTo = resend(rollups.values(), priced.values());
        System.out.printf("WarehouseEndToEndIT: aborted 1 rollup + 1 priced record, re-delivered %d rollups + %d priced%n",
                rollups.size(), priced.size());

        await().atMost(LANDING).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(sinkCommittedCovers(resentUpTo)).as(connectorStates()).isTrue());
        assertThat(totals()).isEqualTo(expectedTotals());
        assertThat(scalar("select count(*) from llm_rollups where team = 'aborted'")).isEqualTo(0L);
        assertThat(scalar("select count(*) from llm_usage_priced where request_id = 'aborted-1'")).isEqualTo(0L);
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void shouldLeaveTheWarehouseUnchangedWhenConnectReplaysBothTopicsFromTheStart() throws Exception {
        awaitWarehouseEqualsStream();
        String before = fingerprint();
        long rollupRows = rollupRows();
        long writesBefore = rowWrites("llm_rollups") + rowWrites("llm_usage_priced");

        long replayStarted = System.nanoTime();
        connect.close();
        connect = null;
        resetSinkOffsets();
        connect = startSinks();

        Map<TopicPartition, Long> lastRecords = new HashMap<>(lastRecordOffsets(stack.topics().rollups.name()));
        lastRecords.putAll(lastRecordOffsets(stack.topics().priced.name()));
        await().atMost(LANDING).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(sinkCommittedCovers(lastRecords)).as(connectorStates()).isTrue());
        // Rows were written again (an upsert counts as an update), yet nothing changed. The sink's
        // committed offsets above prove the replay reached the end; PostgreSQL's statistics collector
        // may drop counts under load, so only require that the replay visibly wrote.
        await().atMost(LANDING).untilAsserted(() ->
                assertThat(rowWrites("llm_rollups") + rowWrites("llm_usage_priced") - writesBefore).isPositive());
        System.out.printf("WarehouseEndToEndIT: replay from offset 0 wrote %d rows again in %d ms (worker restart included)%n",
                rowWrites("llm_rollups") + rowWrites("llm_usage_priced") - writesBefore,
                Duration.ofNanos(System.nanoTime() - replayStarted).toMillis());
        assertThat(totals()).isEqualTo(expectedTotals());
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void shouldAnswerSpendByTeamAndFeatureWithTheStreamsOwnTotals() throws Exception {
        awaitWarehouseEqualsStream();

        assertThat(spendBy("team")).isEqualTo(stream.costByTeam()).containsKeys("search", "support");
        assertThat(spendBy("feature")).isEqualTo(stream.costByFeature()).containsKeys("semantic-search", "support-copilot");
        BigDecimal[] total = new BigDecimal[1];
        query("""
                select sum(month_total_usd) from (
                    select distinct month, month_total_usd from v_spend_monthly where dimension = 'team') months""",
                rows -> {
                    rows.next();
                    total[0] = rows.getBigDecimal(1);
                });
        assertThat(total[0]).isEqualTo(stream.pricedTotal());
    }

    /** v_spend_monthly for one dimension, each key's spend summed over the months the traffic spans. */
    private Map<String, BigDecimal> spendBy(String dimension) throws SQLException {
        Map<String, BigDecimal> spend = new TreeMap<>();
        query("select key, sum(spend_usd) from v_spend_monthly where dimension = '" + dimension + "' group by key",
                rows -> {
                    while (rows.next()) {
                        spend.put(rows.getString(1), rows.getBigDecimal(2));
                    }
                });
        return spend;
    }

    // --- traffic --------------------------------------------------------------------------------------------

    /**
     * {@value #UNIQUE} calls within the last day and a half (so never older than the validator allows, never in
     * the future), on two priced models and one the price book does not know, tagged, untagged, with cache reads,
     * provider-reported costs and free attributes; every 40th call delivered twice.
     */
    private void sendTraffic(UsageProducer producer) {
        Random random = new Random(20261123);
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(30));
        for (int i = 0; i < UNIQUE; i++) {
            Instant at = start.plusMillis(random.nextInt(8 * 3_600_000));
            long input = 500 + random.nextInt(30_000);
            UsageEvent.Builder call = event("wh-" + i, at)
                    .setInputTokens(input)
                    .setOutputTokens(random.nextInt(3_000))
                    .setCustomerId(random.nextInt(5) == 0 ? null : "c" + random.nextInt(4))
                    .setAttributes(Map.of("prompt_version", "v" + (i % 3)));
            switch (i % 10) {
                case 6, 7 -> call.setProvider("anthropic").setRequestModel("claude-sonnet-4-5")
                        .setTeam("support").setFeature("support-copilot")
                        .setCacheReadInputTokens(random.nextInt((int) input));
                case 8 -> call.setTeam(null).setFeature(null).setEnvironment(null);
                case 9 -> call.setRequestModel(i % 20 == 9 ? "acme-llm-7b" : "gpt-4o")
                        .setProviderReportedCostUsd(new BigDecimal("0.0123").setScale(12));
                default -> { }
            }
            UsageEvent e = call.build();
            producer.sendAvro(e);
            sentAt.put(e.getRequestId(), e.getTimestamp());
            if (i % 40 == 0) {
                producer.sendAvro(e);
            }
        }
        producer.flush();
    }

    /** A rollup for a team that never spent and a priced call that never happened, written and then aborted. */
    private void abortTransactionWithRecordsThatNeverHappened(ConsumerRecord<byte[], byte[]> rollupRecord,
                                                             ConsumerRecord<byte[], byte[]> pricedRecord) {
        String rollupTopic = stack.topics().rollups.name();
        String pricedTopic = stack.topics().priced.name();
        Rollup real = stack.topics().rollups.valueSerde().deserializer().deserialize(rollupTopic, rollupRecord.value());
        Rollup phantom = Rollup.newBuilder(real).setTeam("aborted")
                .setCost(CostBreakdown.newBuilder(real.getCost()).setTotal(new BigDecimal("1000").setScale(12)).build())
                .build();
        PricedUsage realCall = stack.topics().priced.valueSerde().deserializer().deserialize(pricedTopic, pricedRecord.value());
        PricedUsage phantomCall = PricedUsage.newBuilder(realCall)
                .setEvent(UsageEvent.newBuilder(realCall.getEvent()).setRequestId("aborted-1").build())
                .build();

        Properties p = producerProps();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warehouse-it-aborted");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(rollupTopic, rollupRecord.partition(), rollupRecord.key(),
                    stack.topics().rollups.valueSerde().serializer().serialize(rollupTopic, phantom)));
            producer.send(new ProducerRecord<>(pricedTopic, pricedRecord.partition(), "aborted-1".getBytes(StandardCharsets.UTF_8),
                    stack.topics().priced.valueSerde().serializer().serialize(pricedTopic, phantomCall)));
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** Sends the records again, byte for byte, to their partitions; returns the last offset written per partition. */
    @SafeVarargs
    private Map<TopicPartition, Long> resend(Iterable<ConsumerRecord<byte[], byte[]>>... batches) throws Exception {
        Map<TopicPartition, Long> last = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Iterable<ConsumerRecord<byte[], byte[]>> batch : batches) {
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    sent.add(producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value())));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                last.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
            }
        }
        return last;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    // --- Kafka side -----------------------------------------------------------------------------------------

    /** The latest committed record per key of a topic, as the stream left it. */
    private Map<String, ConsumerRecord<byte[], byte[]>> latestByKey(String topic) {
        Map<String, ConsumerRecord<byte[], byte[]>> latest = new HashMap<>();
        readCommitted(topic, r -> latest.put(new String(r.key(), StandardCharsets.UTF_8), r));
        return latest;
    }

    /** The offset of the last committed record in each partition of a topic. */
    private Map<TopicPartition, Long> lastRecordOffsets(String topic) {
        Map<TopicPartition, Long> last = new HashMap<>();
        readCommitted(topic, r -> last.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max));
        return last;
    }

    private void readCommitted(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** Whether each sink's consumer group has committed past every given offset. */
    private boolean sinkCommittedCovers(Map<TopicPartition, Long> lastOffsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        try (Admin admin = stack.admin()) {
            for (String sink : SINKS) {
                committed.putAll(admin.listConsumerGroupOffsets(sinkGroup(sink)).partitionsToOffsetAndMetadata().get());
            }
        }
        return lastOffsets.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() > e.getValue());
    }

    /** Forgets what the sinks consumed, as an operator resetting a connector's offsets would. */
    private void resetSinkOffsets() {
        List<String> groups = SINKS.stream().map(WarehouseEndToEndIT::sinkGroup).toList();
        // The stopped worker's consumers may take a moment to leave their groups.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            try (Admin admin = stack.admin()) {
                admin.deleteConsumerGroups(groups).all().get();
            }
            return true;
        });
    }

    private static String sinkGroup(String connector) {
        return "connect-" + connector;
    }

    private long sinkDlqRecords() throws ExecutionException, InterruptedException {
        try (Admin admin = stack.admin()) {
            if (!admin.listTopics().names().get().contains(SINK_DLQ)) {
                return 0;
            }
            List<TopicPartition> partitions = admin.describeTopics(List.of(SINK_DLQ)).allTopicNames().get()
                    .get(SINK_DLQ).partitions().stream().map(p -> new TopicPartition(SINK_DLQ, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> {
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            });
            var first = admin.listOffsets(earliest).all().get();
            var last = admin.listOffsets(latest).all().get();
            return partitions.stream().mapToLong(tp -> last.get(tp).offset() - first.get(tp).offset()).sum();
        }
    }

    private EmbeddedConnect startSinks() {
        String registryUrl = stack.config().get(TokenLedgerConfig.SCHEMA_REGISTRY_URL);
        EmbeddedConnect worker = EmbeddedConnect.start(stack.bootstrapServers(), dir.resolve("connect-" + ++connectStarts));
        for (String name : SINKS) {
            Map<String, String> config = SinkConnectorConfigs.sink(name, warehouse, registryUrl);
            assertThat(config).containsEntry("value.converter", "dev.tokenledger.serde.ConfluentAvroConverter");
            worker.startConnector(config);
        }
        for (String name : SINKS) {
            worker.awaitRunning(name, Duration.ofSeconds(60));
        }
        return worker;
    }

    private String connectorStates() {
        if (connect == null) {
            return "no worker";
        }
        StringBuilder states = new StringBuilder();
        SINKS.forEach(name -> states.append(name).append('=').append(connect.state(name)).append(' '));
        return states.toString().strip();
    }

    // --- warehouse side -------------------------------------------------------------------------------------

    /** What the warehouse holds, summed; amounts exact, so equality means the same digits at the same scale. */
    record Totals(long pricedRows, BigDecimal pricedSum, BigDecimal dailySum, BigDecimal hourlySum) {
    }

    private Totals expectedTotals() {
        return new Totals(UNIQUE, stream.pricedTotal(), stream.pricedTotal(), stream.pricedTotal());
    }

    private void awaitWarehouseEqualsStream() {
        await().atMost(LANDING).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(totals()).as("%s; sink DLQ %d", connectorStates(), sinkDlqRecords())
                        .isEqualTo(expectedTotals()));
    }

    private Totals totals() throws SQLException {
        Totals[] totals = new Totals[1];
        query("""
                select (select count(*) from llm_usage_priced),
                       (select sum(cost_total) from llm_usage_priced),
                       (select sum(cost_total) from llm_rollups where granularity = 'daily'),
                       (select sum(cost_total) from llm_rollups where granularity = 'hourly')""", rows -> {
            rows.next();
            totals[0] = new Totals(rows.getLong(1), rows.getBigDecimal(2), rows.getBigDecimal(3), rows.getBigDecimal(4));
        });
        return totals[0];
    }

    /** Every row of both sinked tables, hashed in key order: equal fingerprints mean identical tables. */
    private String fingerprint() throws SQLException {
        String[] hash = new String[1];
        query("""
                select (select md5(string_agg(r::text, E'\\n' order by granularity, window_start, team, feature,
                                              customer_id, environment, provider, model)) from llm_rollups r)
                    || (select md5(string_agg(p::text, E'\\n' order by request_id)) from llm_usage_priced p)""",
                rows -> {
                    rows.next();
                    hash[0] = rows.getString(1);
                });
        return hash[0];
    }

    /** Rows inserted plus rows updated in a table since the server started (PostgreSQL's statistics). */
    private long rowWrites(String table) throws SQLException {
        long[] writes = new long[1];
        query("select n_tup_ins + n_tup_upd from pg_stat_user_tables where relname = '" + table + "'", rows -> {
            rows.next();
            writes[0] = rows.getLong(1);
        });
        return writes[0];
    }

    private long rollupRows() throws SQLException {
        return scalar("select count(*) from llm_rollups");
    }

    private long scalar(String sql) throws SQLException {
        long[] value = new long[1];
        query(sql, rows -> {
            rows.next();
            value[0] = rows.getLong(1);
        });
        return value[0];
    }

    interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private void query(String sql, RowReader reader) throws SQLException {
        try (Connection connection = db.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            reader.read(rows);
        }
    }
}
