package dev.tokenledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.attribute.Attributor;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.bench.BudgetLatencyProbe;
import dev.tokenledger.bench.CpuTime;
import dev.tokenledger.bench.InstanceShare;
import dev.tokenledger.bench.Percentiles;
import dev.tokenledger.bench.PostgresPeer;
import dev.tokenledger.bench.ProcessMemory;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.demo.DemoSummary;
import dev.tokenledger.demo.EmbeddedStack;
import dev.tokenledger.demo.OutputTally;
import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.generator.GeneratorOptions;
import dev.tokenledger.generator.TrafficGenerator;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.validate.UsageValidator;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger bench}: pushes a generated load through the embedded broker and the full
 * topology (exactly_once_v2), as one or more application instances, and reports sustained events/s,
 * produce-to-rollup latency, budget enforcement latency ({@link BudgetLatencyProbe}), CPU per event by
 * thread group ({@link CpuTime}), records and bytes per event per topic, each instance's share of the
 * work, whether the rollups tie out with the priced events, and peak RSS.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the full pipeline on the embedded broker: sustained events/s,",
                "produce-to-rollup latency p50/p99, budget enforcement latency p50/p99 (produce of a call",
                "crossing a hard threshold to its alert and status being readable), peak resident memory,",
                "CPU per event by thread group, records and bytes per topic per event, and whether the",
                "rollups tie out with the priced total."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "1500000", description = "Events to push (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--instances", defaultValue = "1",
            description = {"Application instances sharing the work, one application id, as a deployment of that many",
                    "would run (default: ${DEFAULT-VALUE}); the report shows each one's tasks and records."})
    int instances;

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

    @Option(names = "--baseline", paramLabel = "PEER",
            description = {"Also run a peer design on the same preloaded events first, and print both figures and",
                    "their ratio: 'postgres' = the spend-rows design of LiteLLM and most gateways (a spend row per",
                    "event plus a daily per-key upsert in PostgreSQL, a transaction per batch; drain mode only)."})
    String baseline;

    @Option(names = "--baseline-batch", paramLabel = "N", defaultValue = "100",
            description = "Events per peer transaction (default: ${DEFAULT-VALUE}, LiteLLM's batch size).")
    int baselineBatch;

    @Option(names = "--baseline-workers", paramLabel = "N", defaultValue = "1",
            description = "Peer workers, each its own consumer and connection over a share of the partitions (default: ${DEFAULT-VALUE}).")
    int baselineWorkers;

    @Option(names = "--baseline-statements", paramLabel = "values|batch", defaultValue = "values",
            description = {"How the peer sends a batch: one multi-row statement per table (values) or JDBC addBatch",
                    "(batch) (default: ${DEFAULT-VALUE})."})
    String baselineStatements;

    @Option(names = "--baseline-only", description = "Run the peer only, not the pipeline (to tune the peer quickly).")
    boolean baselineOnly;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (baseline == null ? baselineOnly : !"postgres".equals(baseline) || rate > 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--baseline: only 'postgres', only in drain mode (without --rate); --baseline-only needs it");
        }
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
            ReferenceData.Loaded reference = ReferenceData.load(null, null, null);
            reference.publish(stack.bootstrapServers(), stack.topics(), msg -> DemoCommand.progress(out, msg));
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
                ObjectNode peer = baseline == null ? null : runPeer(out, stack, reference);
                if (peer != null && baselineOnly) {
                    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(peer));
                    if (report != null) {
                        Files.writeString(report, peer.toPrettyString() + "\n");
                    }
                    return 0;
                }
                List<PipelineRunner> pipelines = stack.startPipelines(instances, msg -> DemoCommand.progress(out, msg));
                DemoCommand.progress(out, drain ? "draining " + events + " preloaded events"
                        : "pushing " + events + " events at " + rate + "/s");
                long start = System.nanoTime();
                CpuTime.Sample cpuAtStart = CpuTime.sample(null);
                CpuTime.Sample cpuAtWarm = null;
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
                        cpuAtWarm = CpuTime.sample(null);
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
                    accounted = tally.pricedOrDeadLettered() + metrics.duplicatesAbsorbed();
                    if (System.nanoTime() - lastReport > 2_000_000_000L) {
                        lastReport = System.nanoTime();
                        out.printf("[%4ds] sent %,d | processed %,d%n", (lastReport - start) / 1_000_000_000L, sent, accounted);
                        out.flush();
                    }
                }
                long end = System.nanoTime();
                CpuTime.Sample cpuAtEnd = CpuTime.sample(null);
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
                // CPU per event: what the cores did for each event (broker and the bench's reader included,
                // by thread group), the figure least moved by a busy neighbour and the one a capacity model needs.
                result.set("cpu_us_per_event_overall", new ObjectMapper().valueToTree(cpuAtEnd.perEventSince(cpuAtStart, events)));
                if (drain && cpuAtWarm != null && steadySeconds >= 5) {
                    result.set("cpu_us_per_event", new ObjectMapper().valueToTree(cpuAtEnd.perEventSince(cpuAtWarm, events - accountedAtWarm)));
                }
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
                // The promise, checked on every bench run as the demo checks it: read = priced + dead-lettered + duplicates.
                DemoSummary accounting = new DemoSummary(sent, metrics.eventsRead(),
                        metrics.duplicatesAbsorbed(), tally.snapshot());
                result.put("events_read", accounting.eventsRead());
                result.put("priced", accounting.totals().priced());
                result.put("dead_lettered", accounting.totals().deadLettered());
                result.put("duplicates_absorbed", accounting.duplicatesAbsorbed());
                result.put("accounted_for", accounting.accountedFor());
                result.put("peak_rss_mb", ProcessMemory.peakResidentKb() / 1024);
                result.put("stream_threads", threads);
                result.put("instances", instances);
                var shares = result.putArray("instance_shares");
                for (PipelineRunner p : pipelines) {
                    InstanceShare share = InstanceShare.of(p.streams());
                    var node = shares.addObject();
                    node.put("records_processed", share.recordsProcessed());
                    share.activeTasks().forEach(node.putArray("active_tasks")::add);
                }
                result.put("offered_rate", rate);
                result.put("config", overrides.toString());
                result.put("processing_guarantee", stack.config().get("processing.guarantee"));
                // After the timing: every priced event read back and summed, and the rollups' hourly and daily
                // totals waited for until they equal it, to the last digit (or 60 s pass).
                BigDecimal pipelineTotal = pricedTotal(stack, accounting.totals().priced());
                result.put("pipeline_priced_total_usd", pipelineTotal.toPlainString());
                result.put("rollups_tie_out", rollupsTieOut(tally, pipelineTotal, Duration.ofSeconds(60)));
                if (peer != null) {
                    long pipelineRate = result.get("sustained_events_per_second").asLong();
                    long peerRate = peer.get("peer_events_per_second").asLong();
                    // Sustained figures when both runs outlasted the warm-up, else both overall ones.
                    boolean sustained = pipelineRate > 0 && peerRate > 0;
                    if (!sustained) {
                        pipelineRate = result.get("events_per_second").asLong();
                        peerRate = peer.get("peer_events_per_second_overall").asLong();
                    }
                    result.put("pipeline_events_per_second", pipelineRate);
                    result.put("ratio", peerRate <= 0 ? -1 : Math.round(pipelineRate * 100.0 / peerRate) / 100.0);
                    result.put("ratio_basis", (sustained ? "sustained" : "overall") + " events/s, pipeline over peer");
                    // Events per CPU-second, pipeline over peer (whole runs; the peer's PostgreSQL counted, the
                    // pipeline's broker too): the comparison a neighbour's load moves least.
                    double peerCpu = peer.get("peer_cpu_us_per_event_overall").get("total").asDouble();
                    double pipelineCpu = result.get("cpu_us_per_event_overall").get("total").asDouble();
                    result.put("cpu_ratio", peerCpu <= 0 || pipelineCpu <= 0 ? -1 : Math.round(peerCpu * 100.0 / pipelineCpu) / 100.0);
                    result.put("peer_total_matches", pipelineTotal.compareTo(new BigDecimal(peer.get("peer_total_usd").asText())) == 0
                            && peer.get("peer_tables_tie_out").asBoolean());
                    result.put("rss_note", "one JVM: peak_rss_mb covers the peer and the pipeline; peer_peak_rss_mb is"
                            + " the high-water mark when the peer finished; the peer's PostgreSQL processes are not included");
                    result.setAll(peer);
                }
                ObjectNode perEvent = result.putObject("topic_offsets_per_event");
                topicOffsets(stack).forEach((topic, offsets) ->
                        perEvent.put(topic, Math.round(offsets * 1000.0 / events) / 1000.0));
                ObjectNode bytesPerEvent = result.putObject("topic_bytes_per_event");
                topicBytes(stack).forEach((topic, bytes) -> bytesPerEvent.put(topic, Math.round(bytes * 10.0 / events) / 10.0));
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
     * Bytes per topic in the broker's log directories, summed over partitions: what the run wrote
     * to each after compression and batching (the broker's disk and network cost per event).
     */
    private static Map<String, Long> topicBytes(EmbeddedStack stack) throws Exception {
        try (Admin admin = stack.admin()) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(org.apache.kafka.common.Node::id).toList();
            Map<String, Long> sums = new TreeMap<>();
            admin.describeLogDirs(brokers).allDescriptions().get().values().forEach(dirs -> dirs.values().forEach(dir ->
                    dir.replicaInfos().forEach((tp, replica) -> sums.merge(tp.topic(), replica.size(), Long::sum))));
            return sums;
        }
    }

    /**
     * The peer design on the preloaded events, in its own embedded PostgreSQL (its own database there),
     * stopped before the pipeline starts so it takes no CPU from it.
     */
    private ObjectNode runPeer(PrintWriter out, EmbeddedStack stack, ReferenceData.Loaded reference) throws Exception {
        PostgresPeer.Statements mode = PostgresPeer.Statements.valueOf(baselineStatements.toUpperCase(java.util.Locale.ROOT));
        DemoCommand.progress(out, "peer: starting PostgreSQL for the spend-rows design");
        TokenLedgerConfig config = stack.config();
        PriceBook book = PriceBook.of(reference.prices().stream().map(kv -> kv.value).toList());
        Map<String, Ownership> owners = reference.owners().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
        Attributor attributor = new Attributor(owners::get, config.get(TokenLedgerConfig.DEFAULT_OWNER));
        UsageValidator validator = new UsageValidator(config.duration(TokenLedgerConfig.MAX_FUTURE_SKEW), null);
        ObjectNode peer = new ObjectMapper().createObjectNode();
        try (EmbeddedWarehouse postgres = EmbeddedWarehouse.start(dataDir.resolve("peer-postgres"))) {
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE tokenledger_peer");
            }
            DataSource db = postgres.dataSource("tokenledger_peer");
            PostgresPeer.createTables(db);
            List<PostgresPeer> peers = new ArrayList<>();
            try {
                for (int w = 0; w < baselineWorkers; w++) {
                    peers.add(new PostgresPeer(db, stack.registry(), book, attributor, validator,
                            config.duration(TokenLedgerConfig.MAX_EVENT_AGE), mode));
                }
                DemoCommand.progress(out, "peer: draining " + events + " preloaded events, batches of " + baselineBatch
                        + ", " + baselineWorkers + " worker(s), " + mode.name().toLowerCase(java.util.Locale.ROOT) + " statements");
                String postgresMarker = dataDir.resolve("peer-postgres").toAbsolutePath().toString();
                CpuTime.Sample cpuBefore = CpuTime.sample(postgresMarker);
                PostgresPeer.Run run = PostgresPeer.drain(stack.bootstrapServers(), stack.topics().usageAvro.name(), peers,
                        baselineBatch, warmupSeconds, out);
                CpuTime.Sample cpuAfter = CpuTime.sample(postgresMarker);
                PostgresPeer.Totals totals = PostgresPeer.totals(db);
                peer.put("peer_events_per_second", run.sustainedEventsPerSecond());
                peer.put("peer_events_per_second_overall", run.eventsPerSecond());
                peer.put("peer_seconds", Math.round(run.seconds() * 100) / 100.0);
                peer.put("peer_sustained_seconds", Math.round(run.sustainedSeconds() * 100) / 100.0);
                // The peer's CPU per event includes its PostgreSQL server's processes, not only this JVM's.
                peer.set("peer_cpu_us_per_event_overall", new ObjectMapper().valueToTree(cpuAfter.perEventSince(cpuBefore, run.processed())));
                peer.put("peer_processed", run.processed());
                peer.put("peer_rejected", run.rejected());
                peer.put("peer_spend_rows", totals.spendRows());
                peer.put("peer_daily_rows", totals.dailyRows());
                peer.put("peer_total_usd", totals.spendTotal().toPlainString());
                peer.put("peer_daily_total_usd", totals.dailyTotal().toPlainString());
                peer.put("peer_tables_tie_out", totals.tiesOut());
                peer.put("peer_batch", baselineBatch);
                peer.put("peer_workers", baselineWorkers);
                peer.put("peer_statements", mode.name().toLowerCase(java.util.Locale.ROOT));
                peer.put("peer_synchronous_commit", peers.get(0).synchronousCommit());
                peer.put("peer_peak_rss_mb", ProcessMemory.peakResidentKb() / 1024);
            } finally {
                for (PostgresPeer p : peers) {
                    p.close();
                }
            }
        }
        DemoCommand.progress(out, "peer: " + peer.get("peer_events_per_second").asLong() + " events/s sustained, "
                + peer.get("peer_events_per_second_overall").asLong() + " overall; PostgreSQL stopped");
        return peer;
    }

    /** The pipeline's priced total, to the last digit: every priced event read back and summed (after the timing). */
    private static boolean rollupsTieOut(OutputTally tally, BigDecimal pricedTotal, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            tally.poll(Duration.ofMillis(500));
            OutputTally.Snapshot s = tally.snapshot();
            if (s.hourlyRollupTotal().compareTo(pricedTotal) == 0 && s.dailyRollupTotal().compareTo(pricedTotal) == 0) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
        }
    }

    private static BigDecimal pricedTotal(EmbeddedStack stack, long priced) {
        try (OutputTally detail = new OutputTally(stack.bootstrapServers(), stack.topics(), true)) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (detail.snapshot().priced() < priced && System.nanoTime() < deadline) {
                detail.poll(Duration.ofMillis(500));
            }
            return detail.snapshot().pricedTotal();
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
