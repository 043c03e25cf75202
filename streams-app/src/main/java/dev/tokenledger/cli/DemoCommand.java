package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.DemoSummary;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutcomeFeed;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TaskOutcomeSimulator;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.validate.UsageEventJson;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

    @Option(names = "--outcomes", paramLabel = "FILE",
            description = "JSON Lines task outcomes (llm.task-outcomes.json.v1) to play in step with the events,"
                    + " instead of the outcomes the generator's product simulation decides.")
    Path outcomesFile;

    @Option(names = "--task-window", paramLabel = "DURATION",
            description = "The task stage's completion window (tokenledger.task.completion-window, ISO-8601)."
                    + " Default: PT6H with generated traffic, the configured 24 h with --events.")
    String taskWindow;

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

    @Option(names = "--count", paramLabel = "N", defaultValue = "20000",
            description = "Generated events with --until-idle (default: ${DEFAULT-VALUE}); without it the generator runs until Ctrl-C.")
    long count;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "2000",
            description = "Generated events per second of wall-clock time; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    private final AtomicBoolean stopping = new AtomicBoolean();
    /** How far a played file of events may run ahead of the pipeline when outcomes are played with it. */
    static final int EVENTS_AHEAD = 256;
    private long accountedSeen;

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
        List<String> outcomeLines = null;
        if (outcomesFile != null) {
            if (!Files.isReadable(outcomesFile)) {
                err.println("error: cannot read --outcomes " + outcomesFile);
                return 2;
            }
            outcomeLines = Files.readAllLines(outcomesFile, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        }
        Map<String, String> overrides;
        try {
            overrides = taskOverrides();
        } catch (DateTimeParseException e) {
            err.println("error: --task-window must be an ISO-8601 duration such as PT30M, was '" + taskWindow + "'");
            return 2;
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
        try (EmbeddedStack stack = EmbeddedStack.start(dataDir, overrides, metrics, msg -> progress(out, msg))) {
            reference.publish(stack.bootstrapServers(), stack.topics(), msg -> progress(out, msg));
            stack.startPipeline(msg -> progress(out, msg));
            progress(out, "starting the warehouse (embedded PostgreSQL) in " + dataDir.resolve("warehouse"));
            try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dataDir.resolve("warehouse"));
                 EmbeddedConnect connect = startSinks(stack, warehouse, out);
                 OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics());
                 UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics());
                 OutcomeFeed outcomes = new OutcomeFeed(stack.bootstrapServers(), stack.topics())) {
                long started = System.nanoTime();
                Progress progress = new Progress(out, tally, producer, metrics, started);
                if (outcomeLines != null) {
                    progress(out, "playing " + outcomeLines.size() + " task outcomes from " + outcomesFile + " in step with the events");
                    outcomes.queue(outcomeLines);
                }
                if (lines != null) {
                    progress(out, "playing " + lines.size() + " events from " + eventsFile);
                    for (String line : lines) {
                        var parsed = UsageEventJson.parse(line);
                        if (parsed.event() != null) {
                            outcomes.eventSent(parsed.event().getTimestamp());
                        }
                        if (outcomeLines != null) {
                            keepUp(tally, producer, metrics, progress, outcomes);
                        }
                        producer.sendJson(null, line.getBytes(StandardCharsets.UTF_8));
                        progress.maybePrint();
                        outcomes.release(accounted(tally, metrics));
                    }
                    producer.flush();
                } else {
                    generate(producer, outcomes, outcomeLines == null, progress);
                }
                if (untilIdle) {
                    waitUntilIdle(tally, producer, metrics, progress, outcomes);
                    outcomes.sendRest();
                    awaitTaskCalls(tally, metrics, out);
                    Duration window = stack.config().duration(TokenLedgerConfig.TASK_COMPLETION_WINDOW);
                    Instant end = outcomes.closeInput(window, Instant.now());
                    progress(out, outcomes.sent() + " task outcomes sent; input closed at " + end + " (completion window "
                            + window + "): every task a window older is final");
                    waitForWarehouse(warehouse, tally, out);
                    waitForTasks(warehouse, out);
                    if (tally.outcomesDeadLettered() > 0) {
                        progress(out, tally.outcomesDeadLettered() + " task outcomes sent to the DLQ (stage task)");
                    }
                } else {
                    progress(out, "traffic sent; watching (Ctrl-C to stop)");
                    while (!stopping.get()) {
                        tally.poll(Duration.ofMillis(200));
                        progress.maybePrint();
                        long accounted = accounted(tally, metrics);
                        outcomes.release(accounted);
                        if (accounted >= producer.sent()) {
                            outcomes.sendRest(); // a file's outcomes later than every event, once the events are in
                        }
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

    /** The task window the demo runs with: --task-window, else PT30M for generated traffic, else the configured default. */
    private Map<String, String> taskOverrides() {
        if (taskWindow != null) {
            return Map.of(TokenLedgerConfig.TASK_COMPLETION_WINDOW, Duration.parse(taskWindow).toString());
        }
        // Generated traffic has 2 events per second of event time and is sent at --rate 2000 a second: a wall-clock
        // second is some 17 minutes of event time, and the product simulation decides a task about 13 minutes of
        // event time after its last call. Six hours keeps outcomes and calls that the pipeline reads a few seconds
        // behind inside their window; with --until-idle the end-of-input outcome makes every task final at the end.
        return eventsFile == null ? Map.of(TokenLedgerConfig.TASK_COMPLETION_WINDOW, "PT6H") : Map.of();
    }

    private void generate(UsageProducer producer, OutcomeFeed outcomes, boolean simulateOutcomes, Progress progress) {
        GeneratorOptions options = GeneratorOptions.demoDefaults().withSeed(seed);
        TrafficGenerator generator = new TrafficGenerator(options);
        TaskOutcomeSimulator product = simulateOutcomes ? new TaskOutcomeSimulator(options) : null;
        long limit = untilIdle ? count : Long.MAX_VALUE;
        long startNanos = System.nanoTime();
        for (long i = 0; i < limit && !stopping.get(); i++) {
            GeneratedRecord record = generator.nextRecord();
            if (record instanceof GeneratedRecord.Event e) {
                outcomes.eventSent(e.event().getTimestamp());
                producer.sendAvro(e.event());
                if (product != null) {
                    outcomes.decided(product.observe(e.event()));
                }
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
            outcomes.release(accounted(progress.tally, progress.metrics));
        }
        if (product != null) {
            outcomes.decided(product.finish());
        }
        producer.flush();
    }

    /** Idle: every event sent is accounted for (priced, dead-lettered or absorbed as a duplicate) and rollups tie out and are quiet. */
    private void waitUntilIdle(OutputTally tally, UsageProducer producer, PipelineMetrics metrics, Progress progress,
                               OutcomeFeed outcomes) {
        while (!stopping.get()) {
            tally.poll(Duration.ofMillis(200));
            progress.maybePrint();
            OutputTally.Snapshot s = tally.snapshot();
            long accounted = accounted(tally, metrics);
            outcomes.release(accounted);
            boolean quiet = System.currentTimeMillis() - s.lastRollupSeenAtMs() > 2_500;
            if (accounted >= producer.sent() && s.tiesOut() && quiet) {
                progress.print();
                return;
            }
        }
    }

    /**
     * With a file of outcomes, the file of events is played as a live feed: at most {@value #EVENTS_AHEAD} events
     * ahead of the pipeline. The task stage finalizes on stream time, the newest event time it has read, and a file
     * sent at once would carry its stream time days past the outcomes released behind it (a month of 20,000 events
     * is two minutes of event time per event) and past the calls of the partition that lags.
     */
    private void keepUp(OutputTally tally, UsageProducer producer, PipelineMetrics metrics, Progress progress,
                        OutcomeFeed outcomes) {
        if (producer.sent() - accountedSeen < EVENTS_AHEAD) {
            return;
        }
        producer.flush();
        outcomes.flush();
        while (!stopping.get()) {
            accountedSeen = accounted(tally, metrics);
            outcomes.release(accountedSeen);
            if (producer.sent() - accountedSeen < EVENTS_AHEAD / 2) {
                return;
            }
            tally.poll(Duration.ofMillis(20));
            progress.maybePrint();
        }
    }

    /** Events read and priced, dead-lettered or absorbed as duplicates, as far as the tally has seen. */
    private static long accounted(OutputTally tally, PipelineMetrics metrics) {
        OutputTally.Snapshot s = tally.snapshot();
        return s.priced() + s.deadLettered() + (long) metrics.count("tokenledger.duplicates.absorbed");
    }

    /**
     * Before the input is closed, the task ledger must have read every priced call with a task_id: the
     * end-of-input outcome moves its stream time past every window, and a call read after it would be late.
     */
    private void awaitTaskCalls(OutputTally tally, PipelineMetrics metrics, PrintWriter out) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!stopping.get()) {
            tally.poll(Duration.ofMillis(100));
            double read = metrics.registry().find("tokenledger.task.inputs").tag("input", "call").counters().stream()
                    .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
            if (read >= tally.taskCallsPriced()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                progress(out, "the task stage has read " + (long) read + " of " + tally.taskCallsPriced()
                        + " calls with a task_id after 60 s; closing the input anyway");
                return;
            }
            Thread.sleep(100);
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

    /**
     * The task results have caught up when task cost + untasked cost is the priced cost in every month (the input
     * is closed, so every task is final), or after 60 s (then the tasks report says by how much it differs).
     */
    private void waitForTasks(EmbeddedWarehouse warehouse, PrintWriter out) throws SQLException, InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!stopping.get()) {
            try (Connection c = warehouse.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE difference_usd <> 0), coalesce(sum(tasks), 0),"
                         + " coalesce(sum(accounted_cost_usd), 0) FROM v_task_cost_tieout")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    progress(out, "task results caught up: " + rs.getLong(2) + " final tasks; task + untasked cost $"
                            + rs.getBigDecimal(3).toPlainString() + " = priced cost");
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    progress(out, "task results have NOT caught up after 60 s (tasks not final yet, see the tasks report)");
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
        for (String report : List.of("spend", "budgets", "margin", "variance", "unallocated", "tasks")) {
            out.println();
            try {
                ReportOptions options = report.equals("tasks")
                        ? ReportOptions.defaults().withBy(ReportOptions.BY_FEATURE_MODEL) : ReportOptions.defaults();
                out.print(TableRenderer.render(Reports.run(report, warehouse.dataSource(), options), TableFormat.TABLE));
            } catch (RuntimeException e) {
                out.println(report + ": " + e.getMessage());
            }
        }
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
