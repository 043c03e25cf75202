package dev.tokenledger.bench;

import dev.tokenledger.attribute.Attributor;
import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PricingResult;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.validate.UsageDecoder;
import dev.tokenledger.validate.UsageDecoders;
import dev.tokenledger.validate.UsageValidator;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The benchmark's peer: the spend-tracking design most LLM gateways use (LiteLLM's), a row per
 * request in a spend table plus an upsert into a daily per-key table, in PostgreSQL, a transaction
 * per batch. It reads the same preloaded topic as the pipeline and does the same per-event work
 * (Avro decode, validation, pricing with {@link CostEngine} on the same {@link PriceBook},
 * attribution with the same {@link Attributor}), so the two figures differ by the storage design only.
 *
 * <p>Kept honest: spend rows are deduplicated by their primary key ({@code ON CONFLICT DO NOTHING},
 * as LiteLLM's request_id) and only newly inserted rows reach the daily table, so a redelivered
 * event is absorbed as the pipeline's dedupe absorbs it; the daily upserts of a batch are summed
 * per key first (PostgreSQL refuses one key twice in one upsert) and sent in key order (two workers
 * then lock rows in the same order, so they never deadlock); {@code synchronous_commit} is on.
 */
public final class PostgresPeer implements AutoCloseable {

    /**
     * How each batch reaches the server. {@code VALUES}, one multi-row statement per table, was the
     * faster in quick peer-only runs (300,000 events, noisy shared machine: 16,700–26,500 events/s
     * against 11,700–22,300 for {@code BATCH} with one worker; BENCHMARKS.md), so the bench uses it by
     * default; {@code BATCH} (JDBC {@code addBatch}: one round trip, but a statement per row on the
     * server) stays for comparison.
     */
    public enum Statements { VALUES, BATCH }

    public static final String SPEND_TABLE = "spend_logs";
    public static final String DAILY_TABLE = "daily_spend";

    private static final String SPEND_COLUMNS = "(request_id, ts, api_key_id, team, feature, provider, model, input_tokens, output_tokens, spend)";
    private static final int SPEND_PARAMS = 10;
    private static final String DAILY_COLUMNS = "(day, team, feature, model, spend, requests, input_tokens, output_tokens)";
    private static final int DAILY_PARAMS = 8;
    private static final String DAILY_CONFLICT = " ON CONFLICT (day, team, feature, model) DO UPDATE SET"
            + " spend = " + DAILY_TABLE + ".spend + excluded.spend,"
            + " requests = " + DAILY_TABLE + ".requests + excluded.requests,"
            + " input_tokens = " + DAILY_TABLE + ".input_tokens + excluded.input_tokens,"
            + " output_tokens = " + DAILY_TABLE + ".output_tokens + excluded.output_tokens";

    private final Connection connection;
    private final UsageDecoder decoder;
    private final UsageValidator validator;
    private final long maxEventAgeMs;
    private final PriceBook book;
    private final Attributor attributor;
    private final Statements statements;
    /** Multi-row statements by row count: a full batch reuses one (server-prepared after a few uses). */
    private final Map<Integer, String> spendSql = new HashMap<>();
    private final Map<Integer, String> dailySql = new HashMap<>();
    private long rejected;

    public PostgresPeer(DataSource db, SchemaRegistry registry, PriceBook book, Attributor attributor,
                        UsageValidator validator, Duration maxEventAge, Statements statements) throws SQLException {
        this.connection = db.getConnection();
        this.decoder = UsageDecoders.avro(registry);
        this.validator = validator;
        this.maxEventAgeMs = maxEventAge.toMillis();
        this.book = book;
        this.attributor = attributor;
        this.statements = statements;
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            // Embedded PostgreSQL (zonky) starts with synchronous_commit=off; a production server commits durably.
            s.execute("SET synchronous_commit = on");
        }
        connection.commit();
    }

    /** The peer's two tables, as LiteLLM's spend logs and daily spend (fewer columns; the same keys). */
    public static void createTables(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + SPEND_TABLE + " (request_id text PRIMARY KEY, ts timestamptz NOT NULL,"
                    + " api_key_id text, team text NOT NULL, feature text NOT NULL, provider text NOT NULL, model text NOT NULL,"
                    + " input_tokens bigint NOT NULL, output_tokens bigint NOT NULL, spend numeric(38,12) NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + DAILY_TABLE + " (day date NOT NULL, team text NOT NULL, feature text NOT NULL,"
                    + " model text NOT NULL, spend numeric(38,12) NOT NULL, requests bigint NOT NULL, input_tokens bigint NOT NULL,"
                    + " output_tokens bigint NOT NULL, PRIMARY KEY (day, team, feature, model))");
        }
    }

    /** One priced, attributed event as the peer stores it. */
    record Row(String requestId, Instant at, String apiKeyId, String team, String feature, String provider, String model,
               long inputTokens, long outputTokens, BigDecimal spend) {
    }

    record DailyKey(LocalDate day, String team, String feature, String model) {
        static final Comparator<DailyKey> ORDER = Comparator.comparing(DailyKey::day).thenComparing(DailyKey::team)
                .thenComparing(DailyKey::feature).thenComparing(DailyKey::model);
    }

    private static final class Daily {
        BigDecimal spend = BigDecimal.ZERO;
        long requests;
        long inputTokens;
        long outputTokens;
    }

    /**
     * Decodes, validates, prices and attributes one batch of raw records, then writes it in one
     * transaction; returns how many spend rows were new. Invalid records are counted, not written.
     */
    public int writeBatch(List<byte[]> values) throws SQLException {
        List<Row> rows = new ArrayList<>(values.size());
        long now = System.currentTimeMillis();
        for (byte[] value : values) {
            Row row = toRow(value, now);
            if (row == null) {
                rejected++;
            } else {
                rows.add(row);
            }
        }
        Set<String> inserted = rows.isEmpty() ? Set.of() : insertSpendRows(rows);
        TreeMap<DailyKey, Daily> daily = new TreeMap<>(DailyKey.ORDER);
        for (Row r : rows) {
            if (!inserted.contains(r.requestId())) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(r.at(), ZoneOffset.UTC);
            Daily d = daily.computeIfAbsent(new DailyKey(day, r.team(), r.feature(), r.model()), k -> new Daily());
            d.spend = d.spend.add(r.spend());
            d.requests++;
            d.inputTokens += r.inputTokens();
            d.outputTokens += r.outputTokens();
        }
        if (!daily.isEmpty()) {
            upsertDaily(daily);
        }
        connection.commit();
        return inserted.size();
    }

    private Row toRow(byte[] value, long nowMs) {
        // The pipeline's validate stage: decodable, valid, not older than the stores keep.
        UsageEvent e = value == null ? null : decoder.decode("", value).event();
        if (e == null || !validator.validate(e, Instant.ofEpochMilli(nowMs)).isEmpty()
                || e.getTimestamp().toEpochMilli() < nowMs - maxEventAgeMs) {
            return null;
        }
        PricingResult price = CostEngine.price(e, book);
        Attribution a = attributor.attribute(e);
        return new Row(e.getRequestId(), e.getTimestamp(), e.getApiKeyId(), a.getTeam(), a.getFeature(), e.getProvider(),
                price.billedModel(), e.getInputTokens(), e.getOutputTokens(), price.total().toBigDecimal());
    }

    /** The request ids that were new (a conflict on the primary key is a duplicate, skipped). */
    private Set<String> insertSpendRows(List<Row> rows) throws SQLException {
        Set<String> inserted = new HashSet<>(rows.size() * 2);
        if (statements == Statements.VALUES) {
            String sql = spendSql.computeIfAbsent(rows.size(), n -> "INSERT INTO " + SPEND_TABLE + " " + SPEND_COLUMNS
                    + " VALUES " + placeholders(n, SPEND_PARAMS) + " ON CONFLICT (request_id) DO NOTHING RETURNING request_id");
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                int i = 0;
                for (Row r : rows) {
                    i = bindSpend(ps, i, r);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getString(1));
                    }
                }
            }
        } else {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + SPEND_TABLE + " " + SPEND_COLUMNS
                    + " VALUES " + placeholders(1, SPEND_PARAMS) + " ON CONFLICT (request_id) DO NOTHING")) {
                for (Row r : rows) {
                    bindSpend(ps, 0, r);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int k = 0; k < counts.length; k++) {
                    if (counts[k] > 0) {
                        inserted.add(rows.get(k).requestId());
                    }
                }
            }
        }
        return inserted;
    }

    private void upsertDaily(TreeMap<DailyKey, Daily> daily) throws SQLException {
        if (statements == Statements.VALUES) {
            String sql = dailySql.computeIfAbsent(daily.size(), n -> "INSERT INTO " + DAILY_TABLE + " " + DAILY_COLUMNS
                    + " VALUES " + placeholders(n, DAILY_PARAMS) + DAILY_CONFLICT);
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                int i = 0;
                for (Map.Entry<DailyKey, Daily> e : daily.entrySet()) {
                    i = bindDaily(ps, i, e.getKey(), e.getValue());
                }
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + DAILY_TABLE + " " + DAILY_COLUMNS
                    + " VALUES " + placeholders(1, DAILY_PARAMS) + DAILY_CONFLICT)) {
                for (Map.Entry<DailyKey, Daily> e : daily.entrySet()) {
                    bindDaily(ps, 0, e.getKey(), e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static int bindSpend(PreparedStatement ps, int i, Row r) throws SQLException {
        ps.setString(++i, r.requestId());
        ps.setObject(++i, OffsetDateTime.ofInstant(r.at(), ZoneOffset.UTC));
        ps.setString(++i, r.apiKeyId());
        ps.setString(++i, r.team());
        ps.setString(++i, r.feature());
        ps.setString(++i, r.provider());
        ps.setString(++i, r.model());
        ps.setLong(++i, r.inputTokens());
        ps.setLong(++i, r.outputTokens());
        ps.setBigDecimal(++i, r.spend());
        return i;
    }

    private static int bindDaily(PreparedStatement ps, int i, DailyKey k, Daily d) throws SQLException {
        ps.setObject(++i, k.day());
        ps.setString(++i, k.team());
        ps.setString(++i, k.feature());
        ps.setString(++i, k.model());
        ps.setBigDecimal(++i, d.spend);
        ps.setLong(++i, d.requests);
        ps.setLong(++i, d.inputTokens);
        ps.setLong(++i, d.outputTokens);
        return i;
    }

    private static String placeholders(int rows, int params) {
        String row = "(" + "?,".repeat(params - 1) + "?)";
        StringBuilder sb = new StringBuilder(rows * (row.length() + 1));
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "" : ",").append(row);
        }
        return sb.toString();
    }

    /** The session's synchronous_commit as the server reports it (the bench prints it: "on"). */
    public String synchronousCommit() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            String value = rs.getString(1);
            connection.commit();
            return value;
        }
    }

    public long rejected() {
        return rejected;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** What the tables hold: spend rows and their sum, the daily table's sums of spend and requests. */
    public record Totals(long spendRows, BigDecimal spendTotal, long dailyRows, long dailyRequests, BigDecimal dailyTotal) {

        /** True when both tables sum to the same amount, exactly. */
        public boolean tiesOut() {
            return spendTotal.compareTo(dailyTotal) == 0 && spendRows == dailyRequests;
        }
    }

    public static Totals totals(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet spend = s.executeQuery("SELECT count(*), coalesce(sum(spend), 0) FROM " + SPEND_TABLE)) {
            spend.next();
            long rows = spend.getLong(1);
            BigDecimal total = spend.getBigDecimal(2);
            try (ResultSet daily = s.executeQuery("SELECT count(*), coalesce(sum(requests), 0), coalesce(sum(spend), 0) FROM " + DAILY_TABLE)) {
                daily.next();
                return new Totals(rows, total, daily.getLong(1), daily.getLong(2), daily.getBigDecimal(3));
            }
        }
    }

    /** A drain run: records processed (written or rejected), overall and after the warm-up. */
    public record Run(long processed, long rejected, double seconds, long eventsPerSecond,
                      long sustainedEventsPerSecond, double sustainedSeconds) {
    }

    /**
     * Reads every record now on {@code topic} with one worker per peer (each its own consumer over
     * a share of the partitions, its own connection), in batches of {@code batchSize}, and times it as
     * the pipeline's drain mode is timed: sustained is what was processed after {@code warmupSeconds},
     * over the time after it (-1 when the run ends within 5 s of the warm-up).
     */
    public static Run drain(String bootstrapServers, String topic, List<PostgresPeer> peers, int batchSize,
                            int warmupSeconds, PrintWriter out) throws Exception {
        AtomicLong processed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        List<TopicPartition> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> meta = consumer(bootstrapServers)) {
            meta.partitionsFor(topic).forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        }
        long start = System.nanoTime();
        for (int w = 0; w < peers.size(); w++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int p = w; p < all.size(); p += peers.size()) {
                mine.add(all.get(p));
            }
            PostgresPeer peer = peers.get(w);
            Thread t = new Thread(() -> {
                try {
                    peer.consume(bootstrapServers, mine, batchSize, processed);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "postgres-peer-" + w);
            t.start();
            workers.add(t);
        }
        long warmupNanos = warmupSeconds * 1_000_000_000L;
        long warmedAt = -1;
        long processedAtWarm = 0;
        long lastReport = start;
        while (workers.stream().anyMatch(Thread::isAlive) && failure.get() == null) {
            Thread.sleep(50);
            long now = System.nanoTime();
            if (warmedAt < 0 && now - start >= warmupNanos) {
                warmedAt = now;
                processedAtWarm = processed.get();
            }
            if (now - lastReport > 2_000_000_000L) {
                lastReport = now;
                out.printf("[%4ds] peer processed %,d%n", (now - start) / 1_000_000_000L, processed.get());
                out.flush();
            }
        }
        for (Thread t : workers) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the PostgreSQL peer failed: " + failure.get(), failure.get());
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        double steady = warmedAt < 0 ? 0 : (end - warmedAt) / 1e9;
        long total = processed.get();
        return new Run(total, peers.stream().mapToLong(PostgresPeer::rejected).sum(), seconds, Math.round(total / seconds),
                steady < 5 ? -1 : Math.round((total - processedAtWarm) / steady), steady);
    }

    /** One worker: its partitions from the beginning to the end offsets they had at the start. */
    private void consume(String bootstrapServers, List<TopicPartition> partitions, int batchSize, AtomicLong processed)
            throws SQLException {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<byte[]> batch = new ArrayList<>(batchSize);
            while (!caughtUp(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    batch.add(r.value());
                    if (batch.size() == batchSize) {
                        writeBatch(batch);
                        processed.addAndGet(batch.size());
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                writeBatch(batch);
                processed.addAndGet(batch.size());
            }
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // As the pipeline's consumers under exactly_once_v2; no group: the peer's dedupe is the primary key.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
