package dev.tokenledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.govern.BudgetLatencyProbe;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.runtime.EmbeddedStack;
import dev.tokenledger.runtime.OutputTally;
import dev.tokenledger.runtime.Percentiles;
import dev.tokenledger.runtime.PipelineMetrics;
import dev.tokenledger.runtime.ProcessMemory;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.runtime.UsageProducer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokenledger bench}: pushes a generated load through the embedded broker and the full
 * topology (exactly_once_v2) and reports sustained events/s, produce-to-rollup latency, budget
 * enforcement latency ({@link BudgetLatencyProbe}) and peak RSS.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the full pipeline on the embedded broker: sustained events/s,",
                "produce-to-rollup latency p50/p99, budget enforcement latency p50/p99 (produce of a call",
                "crossing a hard threshold to its alert and status being readable) and peak resident memory."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "500000", description = "Events to push (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rate", defaultValue = "0",
            description = "Events per second to offer; 0 = as fast as possible, which measures throughput "
                    + "(latency then includes the backlog). Use a rate below capacity to measure latency (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Extra Streams/pipeline configuration, e.g. commit.interval.ms=500.")
    Map<String, String> extra = new HashMap<>();

    @Option(names = "--data-dir", defaultValue = ".tokenledger/bench", description = "Scratch directory, wiped first (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path report;

    @Option(names = "--budget-probes", paramLabel = "N", defaultValue = "200",
            description = {"Calls that each cross a hard budget threshold, one every 100 ms among the load after 15 s",
                    "of warm-up, to measure the latency to the hard alert and status being readable",
                    "(default: ${DEFAULT-VALUE}; 0 = none)."})
    int budgetProbes;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ReferenceData.deleteRecursively(dataDir);
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("num.stream.threads", String.valueOf(threads));
        try (EmbeddedStack stack = EmbeddedStack.start(dataDir, overrides, metrics, msg -> DemoCommand.progress(out, msg))) {
            ReferenceData.load(null, null, null).publish(stack.bootstrapServers(), stack.topics(), msg -> DemoCommand.progress(out, msg));
            BudgetLatencyProbe probe = new BudgetLatencyProbe(stack.bootstrapServers(), stack.topics(), budgetProbes);
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().budgets, probe.budgets());
            stack.startPipeline(msg -> DemoCommand.progress(out, msg));
            TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.demoDefaults()
                    .withDuplicateRate(0).withMalformedRate(0));
            List<Long> latencies = new ArrayList<>();
            Map<String, Long> seenRollups = new HashMap<>();
            try (probe;
                 OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics());
                 UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics())) {
                DemoCommand.progress(out, "pushing " + events + " events" + (rate > 0 ? " at " + rate + "/s" : ""));
                long start = System.nanoTime();
                long lastReport = start;
                long lastProbe = start;
                long lastTally = start;
                long sent = 0;
                long accounted = 0;
                while (accounted < events) {
                    // Event time is the wall clock at send, so a rollup's last_event_at tells when its newest event was produced.
                    long burst = Math.min(events - sent, rate > 0 ? Math.max(1, rate / 100) : 5_000);
                    if (rate > 0 && burst > 0) {
                        long due = start + sent * 1_000_000_000L / rate;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    for (long i = 0; i < burst; i++) {
                        UsageEvent e = generator.next();
                        if (probe.hasMore() && System.nanoTime() - start >= PROBE_WARMUP_NANOS
                                && System.nanoTime() - lastProbe >= PROBE_INTERVAL_NANOS) {
                            lastProbe = System.nanoTime();
                            probe.probe(e);
                        } else {
                            e.setTimestamp(Instant.now());
                        }
                        producer.sendAvro(e);
                    }
                    sent += burst;
                    if (sent < events && System.nanoTime() - lastTally < TALLY_INTERVAL_NANOS) {
                        continue;
                    }
                    lastTally = System.nanoTime();
                    tally.poll(Duration.ofMillis(sent >= events ? 200 : 0));
                    long now = System.currentTimeMillis();
                    tally.rollupLastEventTimes().forEach((key, lastEvent) -> {
                        Long previous = seenRollups.put(key, lastEvent);
                        if (previous == null || !previous.equals(lastEvent)) {
                            latencies.add(now - lastEvent);
                        }
                    });
                    OutputTally.Snapshot s = tally.snapshot();
                    accounted = s.priced() + s.deadLettered() + (long) metrics.count("tokenledger.duplicates.absorbed");
                    if (System.nanoTime() - lastReport > 2_000_000_000L) {
                        lastReport = System.nanoTime();
                        out.printf("[%4ds] sent %,d | processed %,d%n", (lastReport - start) / 1_000_000_000L, sent, accounted);
                        out.flush();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                probe.awaitAnswers(Duration.ofSeconds(30));
                BudgetLatencyProbe.Summary budgets = probe.summary();
                long p50 = Percentiles.nearestRank(latencies, 0.50);
                long p99 = Percentiles.nearestRank(latencies, 0.99);
                long rssPeakKb = ProcessMemory.peakResidentKb();
                ObjectNode result = new ObjectMapper().createObjectNode();
                result.put("events", events);
                result.put("seconds", Math.round(seconds * 100) / 100.0);
                result.put("events_per_second", Math.round(events / seconds));
                result.put("rollup_latency_p50_ms", p50);
                result.put("rollup_latency_p99_ms", p99);
                result.put("latency_samples", latencies.size());
                result.put("budget_probes", budgets.probes());
                result.put("budget_probes_answered", budgets.answered());
                result.put("budget_alert_latency_p50_ms", budgets.alertP50());
                result.put("budget_alert_latency_p99_ms", budgets.alertP99());
                result.put("budget_status_latency_p50_ms", budgets.statusP50());
                result.put("budget_status_latency_p99_ms", budgets.statusP99());
                result.put("budget_enforcement_latency_p50_ms", budgets.bothP50());
                result.put("budget_enforcement_latency_p99_ms", budgets.bothP99());
                result.put("peak_rss_mb", rssPeakKb / 1024);
                result.put("stream_threads", threads);
                result.put("offered_rate", rate);
                result.put("config", overrides.toString());
                result.put("processing_guarantee", stack.config().get("processing.guarantee"));
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
                if (report != null) {
                    Files.writeString(report, result.toPrettyString() + "\n");
                }
            }
        }
        return 0;
    }

    private static final long PROBE_INTERVAL_NANOS = 100_000_000L;
    /**
     * Reading and summing the output costs the load generator CPU the pipeline needs (two cores): at
     * most every 50 ms, which bounds the error it adds to the rollup latency.
     */
    private static final long TALLY_INTERVAL_NANOS = 50_000_000L;
    /** Probes start after the first seconds of load (JIT, first commits), which would otherwise set the p99. */
    private static final long PROBE_WARMUP_NANOS = 15_000_000_000L;
}
