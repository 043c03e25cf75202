package dev.tokenledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.bench.BudgetLatencyProbe;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.runtime.EmbeddedStack;
import dev.tokenledger.runtime.OutputTally;
import dev.tokenledger.bench.Percentiles;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.bench.ProcessMemory;
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
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
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

    @Option(names = "--events", defaultValue = "1500000", description = "Events to push (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rate", defaultValue = "0",
            description = {"Events per second to offer while the pipeline runs (live mode: latency figures, budget probes).",
                    "0 = drain mode: produce every event first, then time the pipeline working through the backlog,",
                    "which measures sustained throughput (default: ${DEFAULT-VALUE})."})
    int rate;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Extra Streams/pipeline configuration, e.g. commit.interval.ms=500.")
    Map<String, String> extra = new HashMap<>();

    @Option(names = "--data-dir", defaultValue = ".tokenledger/bench", description = "Scratch directory, wiped first (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path report;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "60",
            description = {"Seconds of load before the steady-state figures start: on two cores the JIT compilers take",
                    "about half a core for the first minute. Sustained events/s counts what is processed after it;",
                    "budget probes are sent after it (default: ${DEFAULT-VALUE})."})
    int warmupSeconds;

    @Option(names = "--budget-probes", paramLabel = "N", defaultValue = "200",
            description = {"Calls that each cross a hard budget threshold, one every 100 ms among the load after the",
                    "warm-up, to measure the latency to the hard alert and status being readable (live mode only)",
                    "(default: ${DEFAULT-VALUE}; 0 = none)."})
    int budgetProbes;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("num.stream.threads", String.valueOf(threads));
        ConfigOptions.checked(spec, () -> TokenLedgerConfig.of(overrides)); // before wiping anything
        ReferenceData.deleteRecursively(dataDir);
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        boolean drain = rate <= 0;
        int probes = drain ? 0 : budgetProbes;
        if (drain && budgetProbes > 0) {
            DemoCommand.progress(out, "budget probes need a live load: give --rate to measure budget enforcement latency");
        }
        try (EmbeddedStack stack = EmbeddedStack.start(dataDir, overrides, metrics, msg -> DemoCommand.progress(out, msg))) {
            ReferenceData.load(null, null, null).publish(stack.bootstrapServers(), stack.topics(), msg -> DemoCommand.progress(out, msg));
            BudgetLatencyProbe probe = new BudgetLatencyProbe(stack.bootstrapServers(), stack.topics(), probes);
            ReferenceDataPublisher.publish(stack.bootstrapServers(), stack.topics().budgets, probe.budgets());
            TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.demoDefaults()
                    .withDuplicateRate(0).withMalformedRate(0));
            List<Long> latencies = new ArrayList<>();
            try (probe;
                 OutputTally tally = new OutputTally(stack.bootstrapServers(), stack.topics(), false);
                 UsageProducer producer = new UsageProducer(stack.bootstrapServers(), stack.topics())) {
                long sent = 0;
                if (drain) {
                    sent = preload(out, generator, producer);
                }
                stack.startPipeline(msg -> DemoCommand.progress(out, msg));
                DemoCommand.progress(out, drain ? "draining " + events + " preloaded events"
                        : "pushing " + events + " events at " + rate + "/s");
                long start = System.nanoTime();
                long warmupNanos = warmupSeconds * 1_000_000_000L;
                long warmedAt = -1;
                long accountedAtWarm = 0;
                long lastReport = start;
                long lastProbe = start;
                long lastTally = start;
                long accounted = 0;
                Map<String, Long> seenRollups = new HashMap<>();
                while (accounted < events) {
                    if (sent < events) {
                        // Event time is the wall clock at send, so a rollup's last_event_at tells when its newest event was produced.
                        long burst = Math.min(events - sent, Math.max(1, rate / 100));
                        long wait = start + sent * 1_000_000_000L / rate - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        for (long i = 0; i < burst; i++) {
                            UsageEvent e = generator.next();
                            if (probe.hasMore() && System.nanoTime() - start >= warmupNanos
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
                    } else if (drain) {
                        Thread.sleep(TALLY_INTERVAL_NANOS / 1_000_000);
                    }
                    lastTally = System.nanoTime();
                    if (warmedAt < 0 && lastTally - start >= warmupNanos) {
                        warmedAt = lastTally;
                        accountedAtWarm = accounted;
                    }
                    tally.poll(Duration.ofMillis(sent >= events ? 200 : 0));
                    if (!drain) {
                        long now = System.currentTimeMillis();
                        boolean warm = warmedAt >= 0;
                        tally.rollupLastEventTimes().forEach((key, lastEvent) -> {
                            Long previous = seenRollups.put(key, lastEvent);
                            if (warm && (previous == null || !previous.equals(lastEvent))) {
                                latencies.add(now - lastEvent);
                            }
                        });
                    }
                    OutputTally.Snapshot s = tally.snapshot();
                    accounted = s.priced() + s.deadLettered() + (long) metrics.count("tokenledger.duplicates.absorbed");
                    if (System.nanoTime() - lastReport > 2_000_000_000L) {
                        lastReport = System.nanoTime();
                        out.printf("[%4ds] sent %,d | processed %,d%n", (lastReport - start) / 1_000_000_000L, sent, accounted);
                        out.flush();
                    }
                }
                long end = System.nanoTime();
                double seconds = (end - start) / 1e9;
                probe.awaitAnswers(Duration.ofSeconds(30));
                BudgetLatencyProbe.Summary budgets = probe.summary();
                ObjectNode result = new ObjectMapper().createObjectNode();
                result.put("mode", drain ? "drain" : "live");
                result.put("events", events);
                result.put("seconds", Math.round(seconds * 100) / 100.0);
                result.put("events_per_second", Math.round(events / seconds));
                double steadySeconds = warmedAt < 0 ? 0 : (end - warmedAt) / 1e9;
                // Drain mode: processed after the warm-up, over the time after it; -1 when the run ended first
                // (in live mode the rate is the offered one).
                result.put("sustained_events_per_second",
                        !drain || steadySeconds < 5 ? -1 : Math.round((events - accountedAtWarm) / steadySeconds));
                result.put("sustained_seconds", Math.round(steadySeconds * 100) / 100.0);
                result.put("warmup_seconds", warmupSeconds);
                // In drain mode every event was produced before the pipeline started: its age is backlog, not latency.
                result.put("rollup_latency_p50_ms", drain ? -1 : Percentiles.nearestRank(latencies, 0.50));
                result.put("rollup_latency_p99_ms", drain ? -1 : Percentiles.nearestRank(latencies, 0.99));
                result.put("latency_samples", latencies.size());
                result.put("budget_probes", budgets.probes());
                result.put("budget_probes_answered", budgets.answered());
                result.put("budget_alert_latency_p50_ms", budgets.alertP50());
                result.put("budget_alert_latency_p99_ms", budgets.alertP99());
                result.put("budget_status_latency_p50_ms", budgets.statusP50());
                result.put("budget_status_latency_p99_ms", budgets.statusP99());
                result.put("budget_enforcement_latency_p50_ms", budgets.bothP50());
                result.put("budget_enforcement_latency_p99_ms", budgets.bothP99());
                OutputTally.Snapshot last = tally.snapshot();
                long read = metrics.eventsRead();
                long duplicates = (long) metrics.count("tokenledger.duplicates.absorbed");
                result.put("events_read", read);
                result.put("priced", last.priced());
                result.put("dead_lettered", last.deadLettered());
                result.put("duplicates_absorbed", duplicates);
                // The promise, checked on every bench run: read = priced + dead-lettered + duplicates.
                result.put("accounted_for", read == last.priced() + last.deadLettered() + duplicates);
                result.put("peak_rss_mb", ProcessMemory.peakResidentKb() / 1024);
                result.put("stream_threads", threads);
                result.put("offered_rate", rate);
                result.put("config", overrides.toString());
                result.put("processing_guarantee", stack.config().get("processing.guarantee"));
                ObjectNode perEvent = result.putObject("topic_offsets_per_event");
                topicOffsets(stack).forEach((topic, offsets) ->
                        perEvent.put(topic, Math.round(offsets * 1000.0 / events) / 1000.0));
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
                if (report != null) {
                    Files.writeString(report, result.toPrettyString() + "\n");
                }
            }
        }
        return 0;
    }

    /**
     * Log-end offsets per topic, summed over partitions: how many records (and, on transactional
     * topics, commit markers) the run wrote to each, which shows what every event costs the broker.
     */
    private static Map<String, Long> topicOffsets(EmbeddedStack stack) throws Exception {
        try (Admin admin = stack.admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
                d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<String, Long> sums = new TreeMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
            return sums;
        }
    }

    /**
     * Drain mode: the whole load is produced before the pipeline starts (as Kafka's own Streams
     * benchmarks do), so generating and serializing it does not take the cores being measured.
     */
    private long preload(PrintWriter out, TrafficGenerator generator, UsageProducer producer) {
        DemoCommand.progress(out, "preloading " + events + " events into the usage topic");
        long reported = System.nanoTime();
        for (long i = 0; i < events; i++) {
            UsageEvent e = generator.next();
            e.setTimestamp(Instant.now());
            producer.sendAvro(e);
            if (System.nanoTime() - reported > 2_000_000_000L) {
                reported = System.nanoTime();
                out.printf("  preloaded %,d of %,d%n", i + 1, events);
                out.flush();
            }
        }
        producer.flush();
        return events;
    }

    private static final long PROBE_INTERVAL_NANOS = 100_000_000L;
    /**
     * Reading and summing the output costs the load generator CPU the pipeline needs (two cores): at
     * most every 50 ms, which bounds the error it adds to the rollup latency.
     */
    private static final long TALLY_INTERVAL_NANOS = 50_000_000L;
}
