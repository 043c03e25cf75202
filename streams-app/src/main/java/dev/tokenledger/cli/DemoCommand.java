package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.AnomalyDemo;
import dev.tokenledger.demo.DemoSummary;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.PlantedChanges;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.warehouse.EmbeddedConnect;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.ReportOptions;
import dev.tokenledger.warehouse.Reports;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import dev.tokenledger.warehouse.TableFormat;
import dev.tokenledger.warehouse.TableRenderer;
import dev.tokenledger.warehouse.Warehouse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenledger demo}: the whole pipeline in one JVM, on embedded defaults, with generated traffic. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline in this JVM: a real single-node Kafka broker, the Streams application,",
                "and a generator of realistic gateway traffic; print live progress and a summary.",
                "Each run starts from a clean Kafka state in the data directory."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "FILE", description = "JSON Lines usage events to play instead of the generator.")
    Path eventsFile;

    @Option(names = "--pricebook", paramLabel = "FILE", description = "Price book (LiteLLM JSON or native YAML). Default: the shipped book.")
    Path pricebook;

    @Option(names = "--ownership", paramLabel = "FILE", description = "Ownership registry CSV. Default: the demo registry.")
    Path ownership;

    @Option(names = "--budgets", paramLabel = "FILE", description = "Budgets CSV. Default: the demo budgets.")
    Path budgets;

    @Option(names = "--until-idle", description = "Stop when every input has been processed and print the final summary.")
    boolean untilIdle;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the final summary as JSON.")
    Path summaryJson;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".tokenledger", description = "Where state lives (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--count", paramLabel = "N",
            description = "Generated events with --until-idle (default: " + AnomalyDemo.DEFAULT_COUNT + " over " + AnomalyDemo.DAYS
                    + " days with planted anomalies, 20000 with --no-anomalies); without it the generator runs until Ctrl-C.")
    Long count;

    @Option(names = "--no-anomalies",
            description = "With --until-idle: a day of plain traffic, without the planted model swap, retry storm, cache regression and customer spike.")
    boolean noAnomalies;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "2000",
            description = "Generated events per second of wall-clock time; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private PlantedChanges planted = PlantedChanges.none();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReferenceData.Loaded reference;
        try {
            reference = ReferenceData.load(pricebook, ownership, budgets);
        } catch (ReferenceData.InvalidReferenceData e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        List<String> lines = null;
        if (eventsFile != null) {
            if (!Files.isReadable(eventsFile)) {
                err.println("error: cannot read --events " + eventsFile);
                return 2;
            }
            lines = Files.readAllLines(eventsFile, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        }
        ReferenceData.cleanKafkaState(dataDir);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMetrics metrics = new PipelineMetrics(prometheus);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                finished.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "tokenledger-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (EmbeddedStack stack = EmbeddedStack.start(dataDir, AnomalyDemo.CONFIG, metrics, msg -> progress(out, msg))) {
            reference.publish(stack.bootstrapServers(), stack.topics(), msg -> progress(out, msg));
            stack.startPipeline(msg -> progress(out, msg));
            progress(out, "starting the warehouse (embedded PostgreSQL) in " + dataDir.resolve("warehouse"));
            try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dataDir.resolve("warehouse"));
                 EmbeddedConnect connect = startSinks(stack, warehouse, out);
                 OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics());
                 UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics())) {
                long started = System.nanoTime();
                Progress progress = new Progress(out, tally, producer, metrics, started);
                if (lines != null) {
                    progress(out, "playing " + lines.size() + " events from " + eventsFile);
                    for (String line : lines) {
                        producer.sendJson(null, line.getBytes(StandardCharsets.UTF_8));
                    }
                    producer.flush();
                } else {
                    generate(producer, progress);
                }
                if (untilIdle) {
                    waitUntilIdle(tally, producer, metrics, progress);
                    waitForWarehouse(warehouse, tally, out);
                    AnomalyDemo.awaitAnomalies(warehouse.dataSource(), Duration.ofSeconds(3), Duration.ofSeconds(60));
                } else {
                    progress(out, "traffic sent; watching (Ctrl-C to stop)");
                    while (!stopping.get()) {
                        tally.poll(Duration.ofMillis(200));
                        progress.maybePrint();
                    }
                }
                tally.poll(Duration.ofMillis(500));
                DemoSummary summary = new DemoSummary(producer.sent(), metrics.eventsRead(), (long) metrics.count("tokenledger.duplicates.absorbed"), tally.snapshot());
                summary.print(out);
                printWarehouse(warehouse, out, untilIdle);
                if (summaryJson != null) {
                    summary.writeJson(summaryJson);
                    progress(out, "summary written to " + summaryJson);
                }
                return summary.totals().tiesOut() && summary.accountedFor() ? 0 : 3;
            }
        } finally {
            finished.countDown();
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    /** Planted anomalies need days of event time, so only a bounded run (--until-idle) of the generator has them. */
    private boolean planting() {
        return untilIdle && !noAnomalies && eventsFile == null;
    }

    private void generate(UsageProducer producer, Progress progress) {
        TrafficGenerator generator;
        long limit;
        if (planting()) {
            limit = count != null ? count : AnomalyDemo.DEFAULT_COUNT;
            GeneratorOptions options = AnomalyDemo.options(seed, java.time.Instant.now(), limit);
            planted = AnomalyDemo.planted(options);
            generator = new TrafficGenerator(options, planted);
        } else {
            limit = untilIdle ? (count != null ? count : 20_000L) : Long.MAX_VALUE;
            generator = new TrafficGenerator(GeneratorOptions.demoDefaults().withSeed(seed));
        }
        long startNanos = System.nanoTime();
        for (long i = 0; i < limit && !stopping.get(); i++) {
            GeneratedRecord record = generator.nextRecord();
            if (record instanceof GeneratedRecord.Event e) {
                producer.sendAvro(e.event());
            } else if (record instanceof GeneratedRecord.Malformed m) {
                producer.sendJson("malformed-" + i, m.payload());
            }
            if (rate > 0) {
                long due = startNanos + (i + 1) * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 2_000_000) {
                    progress.pollFor(Duration.ofNanos(wait));
                }
            }
            progress.maybePrint();
        }
        producer.flush();
    }

    /** Idle: every event sent is accounted for (priced, dead-lettered or absorbed as a duplicate) and rollups tie out and are quiet. */
    private void waitUntilIdle(OutputTally tally, UsageProducer producer, PipelineMetrics metrics, Progress progress) {
        while (!stopping.get()) {
            tally.poll(Duration.ofMillis(200));
            progress.maybePrint();
            OutputTally.Snapshot s = tally.snapshot();
            long accounted = s.priced() + s.deadLettered() + (long) metrics.count("tokenledger.duplicates.absorbed");
            boolean quiet = System.currentTimeMillis() - s.lastRollupSeenAtMs() > 2_500;
            if (accounted >= producer.sent() && s.tiesOut() && quiet) {
                progress.print();
                return;
            }
        }
    }

    private EmbeddedConnect startSinks(EmbeddedStack stack, EmbeddedWarehouse warehouse, PrintWriter out) {
        // Each demo replays its traffic from scratch, so every table a sink writes starts empty too (the
        // list comes from the sink configurations, so none is forgotten); finance's feature_revenue is kept.
        Warehouse.clearSinkTables(warehouse.dataSource());
        progress(out, "starting Kafka Connect (standalone, in this JVM) with the Debezium JDBC sink");
        EmbeddedConnect connect = EmbeddedConnect.start(stack.bootstrapServers(), dataDir.resolve("connect"));
        String registryUrl = stack.config().get(TokenLedgerConfig.SCHEMA_REGISTRY_URL);
        for (String name : SinkConnectorConfigs.ALL) {
            // The shipped sink files name the default topics; follow any tokenledger.topic.<name> override.
            connect.startConnector(SinkConnectorConfigs.withTopics(SinkConnectorConfigs.sink(name, warehouse, registryUrl),
                    stack.topics().byShippedName()));
        }
        for (String name : SinkConnectorConfigs.ALL) {
            connect.awaitRunning(name, Duration.ofSeconds(60));
        }
        progress(out, "sinks running: " + String.join(", ", SinkConnectorConfigs.ALL));
        return connect;
    }

    /** The sink has caught up when the warehouse holds exactly what the stream produced. */
    private void waitForWarehouse(EmbeddedWarehouse warehouse, OutputTally tally, PrintWriter out) throws SQLException, InterruptedException {
        OutputTally.Snapshot s = tally.snapshot();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!stopping.get()) {
            try (Connection c = warehouse.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM llm_usage_priced),"
                         + " (SELECT coalesce(sum(cost_total), 0) FROM llm_rollups WHERE granularity = 'daily'),"
                         + " (SELECT coalesce(sum(cost_total), 0) FROM llm_rollups WHERE granularity = 'hourly')")) {
                rs.next();
                long rows = rs.getLong(1);
                BigDecimal daily = rs.getBigDecimal(2);
                BigDecimal hourly = rs.getBigDecimal(3);
                if (rows == s.priced() && daily.compareTo(s.pricedTotal()) == 0 && hourly.compareTo(s.pricedTotal()) == 0) {
                    progress(out, "warehouse caught up: " + rows + " priced rows, rollups $" + daily.toPlainString()
                            + " = stream total");
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    progress(out, "warehouse has NOT caught up after 120 s: " + rows + " rows, daily $" + daily.toPlainString());
                    return;
                }
            }
            Thread.sleep(500);
        }
    }

    private void printWarehouse(EmbeddedWarehouse warehouse, PrintWriter out, boolean answers) {
        out.println();
        out.println("warehouse (PostgreSQL): " + warehouse.jdbcUrl());
        out.println("  psql: psql -h localhost -p " + warehouse.port() + " -U " + EmbeddedWarehouse.USER + " " + EmbeddedWarehouse.DATABASE);
        out.println("  after the demo: ./tokenledger report spend --by team   (reopens this warehouse)");
        if (!answers) {
            out.flush();
            return;
        }
        for (String report : List.of("spend", "budgets", "margin", "variance", "unallocated")) {
            out.println();
            try {
                out.print(TableRenderer.render(Reports.run(report, warehouse.dataSource(), ReportOptions.defaults()), TableFormat.TABLE));
            } catch (RuntimeException e) {
                out.println(report + ": " + e.getMessage());
            }
        }
        AnomalyDemo.printAnomalies(out, warehouse.dataSource(), planted);
        out.flush();
    }

    static void progress(PrintWriter out, String message) {
        out.println("tokenledger | " + message);
        out.flush();
    }

    /** One status line a second while traffic flows. */
    static final class Progress {
        private final PrintWriter out;
        private final OutputTally tally;
        private final UsageProducer producer;
        private final PipelineMetrics metrics;
        private final long startedNanos;
        private long lastPrintNanos;

        Progress(PrintWriter out, OutputTally tally, UsageProducer producer, PipelineMetrics metrics, long startedNanos) {
            this.out = out;
            this.tally = tally;
            this.producer = producer;
            this.metrics = metrics;
            this.startedNanos = startedNanos;
            this.lastPrintNanos = startedNanos;
        }

        void pollFor(Duration d) {
            tally.poll(d);
        }

        void maybePrint() {
            if (System.nanoTime() - lastPrintNanos >= 1_000_000_000L) {
                tally.poll(Duration.ZERO);
                print();
            }
        }

        void print() {
            lastPrintNanos = System.nanoTime();
            OutputTally.Snapshot s = tally.snapshot();
            long secs = (lastPrintNanos - startedNanos) / 1_000_000_000L;
            out.printf("[%4ds] sent %,d | priced %,d | unpriced %,d | dlq %,d | duplicates %,d | spend $%s | coverage %s%%%n",
                    secs, producer.sent(), s.priced(), s.unpriced(), s.deadLettered(),
                    (long) metrics.count("tokenledger.duplicates.absorbed"),
                    s.pricedTotal().setScale(4, RoundingMode.HALF_EVEN).toPlainString(),
                    s.attributionCoverage().movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString());
            out.flush();
        }
    }
}
