package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.AnomalyDemo;
import dev.tokenledger.demo.DemoSummary;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutcomeFeed;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.generator.GeneratedRecord;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.InvoicePlan;
import dev.tokenledger.generator.InvoiceSet;
import dev.tokenledger.generator.InvoiceSynthesizer;
import dev.tokenledger.generator.PlantedCause;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.warehouse.ClosePack;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import dev.tokenledger.generator.TaskOutcomeSimulator;
import dev.tokenledger.generator.PlantedChanges;
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

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = "The --events file's format: native (default), otlp-json, litellm, ... (docs/ingest.md); rejects are listed, not played.")
    String inputFormat;

    @Option(names = "--attribution-keys", paramLabel = "FILE", description = "Attribution keys for a foreign --input-format (docs/ingest.md).")
    Path attributionKeys;

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

    @Option(names = "--revenue", paramLabel = "FILE",
            description = "Feature revenue CSV (feature,month,revenue_usd), loaded for the margins. Default: revenue"
                    + " generated for the demo's features and months at the demo's prices per call.")
    Path revenue;

    @Option(names = "--allocation", paramLabel = "FILE",
            description = "Allocation rules (YAML, docs/statements.md) loaded into the warehouse for report statements."
                    + " Default with the demo registry: examples/allocation.yaml.")
    Path allocation;

    @Option(names = "--invoice", paramLabel = "FILE|DIR",
            description = {"A provider invoice or cost export to reconcile against (OpenAI Costs API JSON, Anthropic cost",
                    "report JSON, FOCUS CSV), or a directory of them (every .json and .csv but generate's",
                    "planted-causes.json), loaded at start; repeatable. Default, with generated traffic and",
                    "--until-idle: the invoices of the generated traffic, with planted causes of variance."})
    List<Path> invoiceFiles = new ArrayList<>();

    @Option(names = "--until-idle", description = "Stop when every input has been processed and print the final summary.")
    boolean untilIdle;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the final summary as JSON.")
    Path summaryJson;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".tokenledger", description = "Where state lives (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--count", paramLabel = "N",
            description = "Generated events with --until-idle (default: " + AnomalyDemo.DEFAULT_COUNT + " over " + AnomalyDemo.DAYS
                    + " days: " + AnomalyDemo.HISTORY_DAYS + " of history played as a backfill, then " + AnomalyDemo.PLANTED_DAYS
                    + " with planted anomalies; 20000 with --no-anomalies); without it the generator runs until Ctrl-C.")
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
    /** The month of the other month reports with generated traffic (budgets show their current period); null: the reports' default. */
    private YearMonth reportMonth;
    /** The month of the margins the demo prints; null: the margin report's default. */
    private YearMonth marginMonth;
    /** When the demo started. */
    private final Instant startedAt = Instant.now();
    /**
     * The "now" the generated days end before (at its last UTC midnight): the start, less the task window and an
     * hour, so the last day's tasks can be final when the demo closes the task input (an outcome cannot be sent
     * from the future). Run a few hours after midnight, the demo's days end a day earlier.
     */
    private Instant trafficNow = startedAt;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReferenceData.Loaded reference;
        dev.tokenledger.warehouse.statements.AllocationPolicy allocationPolicy;
        try {
            reference = ReferenceData.load(pricebook, ownership, budgets);
            // The demo's own rules fit only its own registry: with --ownership FILE and no --allocation, none.
            allocationPolicy = allocation != null ? AllocationLoad.checked(allocation, reference.owners())
                    : ownership == null ? AllocationLoad.demoDefault(reference.owners()) : null;
        } catch (ReferenceData.InvalidReferenceData e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (revenue != null && !DemoMargins.validRevenue(revenue, err)) {
            return 2;
        }
        InvoiceLoad.Loaded invoices = null;
        if (!invoiceFiles.isEmpty()) {
            try {
                invoices = InvoiceLoad.read(expand(invoiceFiles), null, null, pricebook);
            } catch (ReferenceData.InvalidReferenceData e) {
                err.println("error: --invoice: " + e.getMessage());
                return 2;
            }
        }
        List<String> lines = null;
        if (eventsFile != null) {
            if (!Files.isReadable(eventsFile)) {
                err.println("error: cannot read --events " + eventsFile);
                return 2;
            }
            lines = Files.readAllLines(eventsFile, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            if (inputFormat != null || attributionKeys != null) {
                try {
                    lines = DemoInput.nativeLines(eventsFile, inputFormat, attributionKeys, err);
                } catch (AdaptedInput.BadOption e) {
                    err.println("error: " + e.getMessage());
                    return 2;
                }
            }
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
            overrides = DemoTasks.overrides(taskWindow, eventsFile == null);
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
        String window = overrides.get(TokenLedgerConfig.TASK_COMPLETION_WINDOW);
        if (window != null) {
            trafficNow = startedAt.minus(Duration.parse(window)).minus(Duration.ofHours(1));
        }
        Map<String, String> config = new java.util.HashMap<>(AnomalyDemo.CONFIG);
        config.putAll(overrides);
        try (EmbeddedStack stack = EmbeddedStack.start(dataDir, config, metrics, msg -> progress(out, msg))) {
            reference.publish(stack.bootstrapServers(), stack.topics(), msg -> progress(out, msg));
            if (invoices != null) {
                publishInvoices(stack, invoices, out);
            }
            stack.startPipeline(msg -> progress(out, msg));
            progress(out, "starting the warehouse (embedded PostgreSQL) in " + dataDir.resolve("warehouse"));
            try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dataDir.resolve("warehouse"));
                 EmbeddedConnect connect = startSinks(stack, warehouse, out);
                 OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics());
                 UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics());
                 OutcomeFeed outcomes = new OutcomeFeed(stack.bootstrapServers(), stack.topics())) {
                loadAllocation(warehouse, allocationPolicy, out);
                long started = System.nanoTime();
                Progress progress = new Progress(out, tally, producer, metrics, started);
                DemoTasks tasks = new DemoTasks(tally, metrics, outcomes, stopping::get, out);
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
                            tasks.keepUp(producer, progress);
                        }
                        producer.sendJson(null, line.getBytes(StandardCharsets.UTF_8));
                        progress.maybePrint();
                        tasks.release();
                    }
                    producer.flush();
                } else {
                    InvoiceSynthesizer synthesizer = untilIdle && invoices == null ? synthesizer() : null;
                    generate(producer, outcomes, tasks, outcomeLines == null, progress, synthesizer);
                    if (synthesizer != null) {
                        invoices = synthesized(synthesizer.finish(), out);
                        publishInvoices(stack, invoices, out);
                    }
                }
                if (untilIdle) {
                    waitUntilIdle(tally, producer, metrics, progress, tasks);
                    tasks.closeInput(stack.config().duration(TokenLedgerConfig.TASK_COMPLETION_WINDOW),
                            stack.config().integer(TokenLedgerConfig.TASK_PARTITIONS));
                    waitForWarehouse(warehouse, tally, out);
                    tasks.waitForTasks(warehouse);
                    if (invoices != null) {
                        waitForReconciliation(warehouse, invoices, out);
                    }
                    AnomalyDemo.awaitAnomalies(warehouse.dataSource(), Duration.ofSeconds(3), Duration.ofSeconds(60));
                } else {
                    progress(out, "traffic sent; watching (Ctrl-C to stop)");
                    while (!stopping.get()) {
                        tally.poll(Duration.ofMillis(200));
                        progress.maybePrint();
                        if (tasks.release() >= producer.sent()) {
                            outcomes.sendRest(); // a file's outcomes later than every event, once the events are in
                        }
                    }
                }
                tally.poll(Duration.ofMillis(500));
                reportMonth = lines == null && untilIdle ? generatedMonth(generatorOptions()) : null;
                marginMonth = DemoMargins.loadRevenue(warehouse.dataSource(), revenue, msg -> progress(out, msg));
                DemoSummary summary = new DemoSummary(producer.sent(), metrics.eventsRead(), metrics.duplicatesAbsorbed(), tally.snapshot());
                summary.print(out);
                printWarehouse(warehouse, out, untilIdle, invoices != null);
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

    /** Directories replaced by the invoice files in them, in name order. */
    static List<Path> expand(List<Path> given) throws ReferenceData.InvalidReferenceData {
        List<Path> files = new ArrayList<>();
        for (Path p : given) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            try (java.util.stream.Stream<Path> in = Files.list(p)) {
                in.filter(f -> {
                    String name = f.getFileName().toString();
                    return (name.endsWith(".json") || name.endsWith(".csv")) && !name.equals(InvoiceSet.MANIFEST);
                }).sorted().forEach(files::add);
            } catch (java.io.IOException e) {
                throw new ReferenceData.InvalidReferenceData("cannot list " + p + ": " + e.getMessage());
            }
        }
        return files;
    }

    /** Planted anomalies need days of event time, so only a bounded run (--until-idle) of the generator has them. */
    private boolean planting() {
        return untilIdle && !noAnomalies && eventsFile == null;
    }

    /** How many records the generator makes: all of them with --until-idle, else until Ctrl-C. */
    private long limit() {
        if (!untilIdle) {
            return Long.MAX_VALUE;
        }
        return count != null ? count : planting() ? AnomalyDemo.DEFAULT_COUNT : 20_000L;
    }

    /** The generator's options: days of traffic ending at the last UTC midnight when anomalies are planted. */
    private GeneratorOptions generatorOptions() {
        return planting() ? AnomalyDemo.demo(seed, trafficNow, limit()).options() : GeneratorOptions.demoDefaults().withSeed(seed);
    }

    /** Where the generated event times end. */
    private Instant generatedEnd(GeneratorOptions options) {
        return options.start().plusSeconds((long) Math.ceil(limit() / options.eventsPerSecondOfEventTime()));
    }

    /** The month most of the generated days fall in: the one the demo invoices and reports its month figures for. */
    private YearMonth generatedMonth(GeneratorOptions options) {
        return AnomalyDemo.mainMonth(options.start(), generatedEnd(options));
    }

    /**
     * The invoices of the traffic the demo generates, with every cause planted, for the month most of its days fall
     * in (run on the 2nd, last month's, as finance would close it); a span shorter than a day gets its ingestion
     * gap in its first hour.
     */
    private InvoiceSynthesizer synthesizer() {
        GeneratorOptions options = generatorOptions();
        Instant start = options.start();
        Instant end = generatedEnd(options);
        YearMonth month = generatedMonth(options);
        LocalDate last = end.minusMillis(1).atOffset(ZoneOffset.UTC).toLocalDate();
        if (last.isAfter(month.atEndOfMonth())) {
            last = month.atEndOfMonth();
        }
        LocalDate first = start.atOffset(ZoneOffset.UTC).toLocalDate();
        if (first.isBefore(month.atDay(1))) {
            first = month.atDay(1);
        }
        boolean shortSpan = Duration.between(start, end).compareTo(Duration.ofDays(1)) < 0;
        PriceBook book = pricebook == null ? PriceBooks.loadDefault() : PriceBooks.load(pricebook);
        List<PlantedCause> causes = InvoicePlan.defaults(first, last).causes().stream()
                .map(c -> shortSpan && c instanceof PlantedCause.MissingEvents m
                        ? new PlantedCause.MissingEvents(m.provider(), m.model(), start.plus(Duration.ofMinutes(30)),
                                start.plus(Duration.ofMinutes(60)))
                        : c)
                .toList();
        return InvoiceSynthesizer.forMonth(month, book, new InvoicePlan(causes));
    }

    /** The synthesized invoices, written to the data directory and read back as {@code load invoice} reads files. */
    private InvoiceLoad.Loaded synthesized(InvoiceSet set, PrintWriter out) {
        Path dir = dataDir.resolve("invoices");
        List<Path> written = set.writeTo(dir);
        progress(out, "invoices for the generated traffic written to " + dir + " (planted: "
                + set.manifest().stream().map(v -> v.cause() + " " + v.varianceUsd().toPlainString() + " USD")
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
        List<Path> files = written.stream().filter(f -> !f.getFileName().toString().equals(InvoiceSet.MANIFEST)).toList();
        try {
            return InvoiceLoad.read(files, null, null, pricebook);
        } catch (ReferenceData.InvalidReferenceData e) {
            throw new IllegalStateException("the demo's own invoices do not read back: " + e.getMessage(), e);
        }
    }

    private static void publishInvoices(EmbeddedStack stack, InvoiceLoad.Loaded invoices, PrintWriter out) {
        invoices.describe().forEach(line -> progress(out, "invoice " + line));
        ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().invoices, invoices.records());
        progress(out, "published " + invoices.lineCount() + " invoice lines to " + stack.topics().invoices.name());
    }

    /**
     * Generated traffic; outcomes (with {@code simulateOutcomes}, the product simulation's) released as their events
     * are accounted for; with a synthesizer, the records it withholds (an ingestion gap it bills) are not sent.
     */
    private void generate(UsageProducer producer, OutcomeFeed outcomes, DemoTasks tasks, boolean simulateOutcomes,
                          Progress progress, InvoiceSynthesizer synthesizer) {
        GeneratorOptions options = generatorOptions();
        TrafficGenerator generator;
        // The history before the planted part is a backfill: played as fast as the pipeline takes it, then --rate.
        Instant liveFrom = Instant.MIN;
        if (planting()) {
            AnomalyDemo.Traffic traffic = AnomalyDemo.demo(seed, trafficNow, limit());
            planted = traffic.planted();
            liveFrom = traffic.plantedFrom();
            generator = new TrafficGenerator(options, planted);
            progress.say("backfilling " + AnomalyDemo.HISTORY_DAYS + " days of history (from " + options.start()
                    + "), then " + AnomalyDemo.PLANTED_DAYS + " days with planted anomalies from " + liveFrom);
        } else {
            generator = new TrafficGenerator(options);
        }
        TaskOutcomeSimulator product = simulateOutcomes ? new TaskOutcomeSimulator(options) : null;
        long limit = limit();
        long startNanos = System.nanoTime();
        long liveFromIndex = 0;
        boolean backfilling = planting();
        // --count counts the records sent: those an ingestion gap planted in the invoices withholds (billed,
        // never sent) do not count, so the demo always plays as many records as it was asked for.
        for (long i = 0; i < limit && !stopping.get(); i++) {
            GeneratedRecord record = generator.nextRecord();
            while (synthesizer != null && !synthesizer.accept(record)) {
                record = generator.nextRecord();
            }
            if (backfilling && record instanceof GeneratedRecord.Event e && !e.event().getTimestamp().isBefore(liveFrom)) {
                backfilling = false;
                liveFromIndex = i;
                startNanos = System.nanoTime();
            }
            if (record instanceof GeneratedRecord.Event e) {
                outcomes.eventSent(e.event().getTimestamp());
                producer.sendAvro(e.event());
                if (product != null) {
                    outcomes.decided(product.observe(e.event()));
                }
            } else if (record instanceof GeneratedRecord.Malformed m) {
                producer.sendJson("malformed-" + i, m.payload());
            }
            if (rate > 0 && !backfilling) {
                long due = startNanos + (i + 1 - liveFromIndex) * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 2_000_000) {
                    progress.pollFor(Duration.ofNanos(wait));
                }
            }
            progress.maybePrint();
            tasks.release();
        }
        if (product != null) {
            outcomes.decided(product.finish());
        }
        producer.flush();
    }

    /** Idle: every event sent is accounted for (priced, dead-lettered or absorbed as a duplicate) and rollups tie out and are quiet. */
    private void waitUntilIdle(OutputTally tally, UsageProducer producer, PipelineMetrics metrics, Progress progress,
                               DemoTasks tasks) {
        while (!stopping.get()) {
            tally.poll(Duration.ofMillis(200));
            progress.maybePrint();
            OutputTally.Snapshot s = tally.snapshot();
            long accounted = tasks.release();
            boolean quiet = System.currentTimeMillis() - s.lastRollupSeenAtMs() > 2_500;
            if (accounted >= producer.sent() && s.tiesOut() && quiet) {
                progress.print();
                return;
            }
        }
    }

    /** The allocation rules (checked at start) into the warehouse; like revenue, they outlive the run. */
    private void loadAllocation(EmbeddedWarehouse warehouse, dev.tokenledger.warehouse.statements.AllocationPolicy policy,
                                PrintWriter out) {
        if (policy != null) {
            String source = allocation != null ? allocation.toString() : "examples/allocation.yaml (the demo's default)";
            dev.tokenledger.warehouse.statements.AllocationRulesStore.replace(warehouse.dataSource(), policy, source);
            progress(out, "loaded " + AllocationLoad.describe(policy) + " from " + source + " into allocation_rules");
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
     * Reconciled: every invoiced provider's month has its record, and the derived side of the reconciliation rows
     * equals the daily rollups of those providers in those months, to the last digit.
     */
    private void waitForReconciliation(EmbeddedWarehouse warehouse, InvoiceLoad.Loaded invoices, PrintWriter out)
            throws SQLException, InterruptedException {
        java.util.Set<String> months = new java.util.TreeSet<>();
        invoices.records().forEach(kv -> months.add(kv.value.getProvider() + "|" + YearMonth.from(kv.value.getBillingDay())));
        long deadline = System.currentTimeMillis() + 90_000;
        String last = null;
        while (!stopping.get()) {
            try (Connection c = warehouse.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("""
                         SELECT (SELECT count(*) FROM llm_alerts_reconciliation),
                                (SELECT coalesce(sum(derived_usd), 0) FROM llm_reconciliation),
                                (SELECT coalesce(sum(r.cost_total), 0) FROM llm_rollups r
                                  WHERE r.granularity = 'daily'
                                    AND (r.provider, to_char(r.window_start AT TIME ZONE 'UTC', 'YYYY-MM'))
                                        IN (SELECT DISTINCT provider, month FROM llm_reconciliation))""")) {
                rs.next();
                String now = rs.getLong(1) + " " + rs.getBigDecimal(2).toPlainString();
                boolean tied = rs.getLong(1) >= months.size() && rs.getBigDecimal(2).compareTo(rs.getBigDecimal(3)) == 0;
                if (tied && now.equals(last)) {
                    progress(out, "reconciled " + rs.getLong(1) + " provider-month(s); derived side $"
                            + rs.getBigDecimal(2).toPlainString() + " = their daily rollups");
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    progress(out, "reconciliation has NOT settled after 90 s: " + now + " vs rollups $" + rs.getBigDecimal(3).toPlainString());
                    return;
                }
                last = now;
            }
            Thread.sleep(2_000);
        }
    }

    private void printWarehouse(EmbeddedWarehouse warehouse, PrintWriter out, boolean answers, boolean reconciled) {
        out.println();
        out.println("warehouse (PostgreSQL): " + warehouse.jdbcUrl());
        out.println("  psql: psql -h localhost -p " + warehouse.port() + " -U " + EmbeddedWarehouse.USER + " " + EmbeddedWarehouse.DATABASE);
        out.println("  after the demo: ./tokenledger report spend --by team   (reopens this warehouse)");
        if (!answers) {
            out.flush();
            return;
        }
        for (String report : List.of("spend", "budgets", "margin", "variance", "unallocated", "tasks", "statements")) {
            out.println();
            try {
                ReportOptions options = report.equals("tasks")
                        ? ReportOptions.defaults().withBy(ReportOptions.BY_FEATURE_MODEL) : ReportOptions.defaults();
                if ((report.equals("margin") || report.equals("statements")) && marginMonth != null) {
                    options = options.withMonth(marginMonth);
                } else if (reportMonth != null && !report.equals("budgets")) {
                    options = options.withMonth(reportMonth);
                }
                out.print(TableRenderer.render(Reports.run(report, warehouse.dataSource(), options), TableFormat.TABLE));
            } catch (RuntimeException e) {
                out.println(report + ": " + e.getMessage());
            }
        }
        if (reconciled) {
            // The variance report above compares with the invoices; the close pack says what they add up to.
            out.println();
            try {
                ReportOptions month = reportMonth != null ? ReportOptions.defaults().withMonth(reportMonth) : ReportOptions.defaults();
                out.print(ClosePack.render(warehouse.dataSource(), month, "md"));
            } catch (RuntimeException e) {
                out.println("reconciliation: " + e.getMessage());
            }
        }
        AnomalyDemo.printAnomalies(out, warehouse.dataSource(), planted);
        printForecast(warehouse, out);
        out.flush();
    }

    /** The month-end forecast per product line, from the days the demo played (docs/forecasting.md). */
    private static void printForecast(EmbeddedWarehouse warehouse, PrintWriter out) {
        out.println();
        try {
            var result = dev.tokenledger.warehouse.ForecastReport.run(warehouse.dataSource(),
                    dev.tokenledger.warehouse.ForecastOptions.parse("product_line", "month", null, null, List.of()));
            out.println("forecast to month end per product line, from " + result.asOf() + " (docs/forecasting.md):");
            out.print(TableRenderer.render(result.table(), TableFormat.TABLE));
        } catch (RuntimeException e) {
            out.println("forecast: " + e.getMessage());
        }
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

        void say(String message) {
            progress(out, message);
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
                    metrics.duplicatesAbsorbed(),
                    s.pricedTotal().setScale(4, RoundingMode.HALF_EVEN).toPlainString(),
                    s.attributionCoverage().movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString());
            out.flush();
        }
    }
}
