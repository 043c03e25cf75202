package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.govern.BudgetHttp;
import dev.tokenledger.http.HttpApi;
import dev.tokenledger.http.HttpAuth;
import dev.tokenledger.ingest.http.IngestHttp;
import dev.tokenledger.ingest.http.IngestHttpSettings;
import dev.tokenledger.ingest.http.IngestSink;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.BoundedThreadReplacement;
import dev.tokenledger.runtime.ClientProperties;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.runtime.StartupCheck;
import dev.tokenledger.runtime.TopicSetup;
import dev.tokenledger.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenledger run}: the same topology against an existing Kafka cluster and schema registry. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the Streams application against an existing cluster and schema registry.",
                "Configuration layers: defaults < --config file < TOKENLEDGER_*/KAFKA_* environment < command line.",
                "Scale out by starting more instances with the same application.id."})
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".tokenledger/streams",
            description = "RocksDB state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port for /metrics, /health/live, /health/ready, /budgets and ingest (POST /v1/traces, /ingest/FORMAT) (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = {"Host other instances reach this one's HTTP port on, for /budgets queries they forward",
                    "(application.server = HOST:--http-port unless application.server is configured). Default: this host's name."})
    String advertisedHost;

    @Option(names = "--create-topics", description = "Create missing contract topics first (partitions from --partitions).")
    boolean createTopics;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions for created topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "3", description = "Replication factor for created topics (default: ${DEFAULT-VALUE}).")
    short replication;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TokenLedgerConfig config = configOptions.resolve();
        if (!config.asMap().containsKey(StreamsConfig.APPLICATION_SERVER_CONFIG)) {
            String host = advertisedHost != null ? advertisedHost : InetAddress.getLocalHost().getHostName();
            config = config.with(StreamsConfig.APPLICATION_SERVER_CONFIG, host + ":" + httpPort);
        }
        // The registry's credentials and TLS keys (basic.auth.*, schema.registry.ssl.*) come from the same layers.
        SchemaRegistry registry = SchemaRegistries.fromConfig(config.asMap());
        try {
            StartupCheck.awaitReachable(config, registry);
        } catch (StartupCheck.UnreachableException e) {
            LOG.error("giving up: {}", e.getMessage());
            return 1;
        }
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            Topics topics = new Topics(config, registry);
            if (createTopics) {
                TopicSetup.ensure(admin, TopicSetup.plan(topics, partitions, replication));
            }
            Optional<String> problem = TopicSetup.coPartitioningProblem(admin, topics);
            if (problem.isPresent()) {
                LOG.error("refusing to start: {}", problem.get());
                return 1;
            }
        }
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Handlers Kafka Streams instantiates itself (the deserialization handler) count through the
        // global registry; this makes their counters part of /metrics and /health.
        io.micrometer.core.instrument.Metrics.addRegistry(prometheus);
        PipelineMetrics metrics = new PipelineMetrics(prometheus);
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        int exitCode = 1;
        try (PipelineRunner runner = PipelineRunner.start(config, registry, metrics, stateDir);
             IngestSink ingestSink = IngestSink.connect(config.kafkaProperties(), new Topics(config, registry));
             HttpApi http = HttpApi.start("0.0.0.0", httpPort, prometheus, () -> runner.state().name(), HttpAuth.from(config))) {
            BudgetHttp.attach(http, runner.streams(), config);
            IngestHttp.attach(http, IngestHttpSettings.from(config), ingestSink, prometheus);
            Runtime.getRuntime().addShutdownHook(shutdownHook(stopRequested, exited, runner.closeTimeout()));
            out.printf("tokenledger | application %s on %s; metrics at http://localhost:%d/metrics, budgets at /budgets; HTTP: %s%n",
                    config.get(TokenLedgerConfig.APPLICATION_ID), config.get(TokenLedgerConfig.BOOTSTRAP_SERVERS), http.port(), http.auth());
            out.flush();
            runner.running().thenRun(() -> LOG.info("Kafka Streams is RUNNING (ready at /health/ready)"));
            CompletableFuture.anyOf(stopRequested, runner.failed()).join();
            if (runner.failed().isDone()) {
                LOG.error("Kafka Streams shut itself down ({}); exiting", runner.failure()
                        .map(BoundedThreadReplacement::describe).orElse("state " + runner.state() + ", see the errors above"));
            } else {
                LOG.info("closing Kafka Streams: finishing open transactions (up to {})", runner.closeTimeout());
                if (runner.closeCleanly()) {
                    LOG.info("Kafka Streams closed cleanly");
                    exitCode = 0;
                } else {
                    LOG.error("Kafka Streams did not close within {} ({})", runner.closeTimeout(), TokenLedgerConfig.CLOSE_TIMEOUT);
                }
            }
        } finally {
            exited.complete(exitCode);
        }
        return exitCode;
    }

    /**
     * On SIGTERM or SIGINT: asks {@link #call()} to close Streams and waits for that close, so the
     * JVM cannot end halfway through committing a transaction. A JVM stopped by a signal would then
     * exit 143 even after a clean close; halting with the close's own outcome tells a supervisor
     * whether it was clean (0) or not (1).
     */
    private static Thread shutdownHook(CompletableFuture<Void> stopRequested, CompletableFuture<Integer> exited, Duration closeTimeout) {
        return new Thread(() -> {
            if (exited.isDone()) {
                return; // run ended by itself and is exiting with its own status
            }
            LOG.info("stop signal received");
            stopRequested.complete(null);
            int status = 1;
            try {
                status = exited.get(closeTimeout.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.error("close still not finished after {}; exiting anyway", closeTimeout.plusSeconds(5));
            } catch (InterruptedException | ExecutionException e) {
                LOG.error("waiting for the close failed", e);
            }
            Runtime.getRuntime().halt(status);
        }, "tokenledger-shutdown");
    }
}
