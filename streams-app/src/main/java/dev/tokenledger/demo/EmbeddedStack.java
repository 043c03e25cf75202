package dev.tokenledger.demo;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.embedded.EmbeddedKafkaBroker;
import dev.tokenledger.govern.GovernSettings;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.runtime.PipelineRunner;
import dev.tokenledger.runtime.TopicSetup;
import dev.tokenledger.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Everything the single-JVM runtime needs, started in order and closed in reverse: a real KRaft
 * broker, the in-JVM schema registry, the contract's topics, and the Streams application.
 */
public final class EmbeddedStack implements AutoCloseable {

    public static final int PARTITIONS = 2;

    private final Path dataDir;
    private final EmbeddedKafkaBroker broker;
    private final TokenLedgerConfig config;
    private final SchemaRegistry registry;
    private final Topics topics;
    private final PipelineMetrics metrics;
    private final List<PipelineRunner> pipelines = new ArrayList<>();

    private EmbeddedStack(Path dataDir, EmbeddedKafkaBroker broker, TokenLedgerConfig config, SchemaRegistry registry,
                          PipelineMetrics metrics) {
        this.dataDir = dataDir;
        this.broker = broker;
        this.config = config;
        this.registry = registry;
        this.topics = new Topics(config, registry);
        this.metrics = metrics;
    }

    /**
     * Starts the broker and creates topics; the pipeline starts with {@link #startPipeline}.
     *
     * @param overrides configuration keys on top of the embedded defaults
     */
    public static EmbeddedStack start(Path dataDir, Map<String, String> overrides, PipelineMetrics metrics,
                                      Consumer<String> progress) throws IOException {
        TokenLedgerConfig.of(overrides); // a misspelt or invalid key fails before a broker is started for nothing
        Files.createDirectories(dataDir);
        progress.accept("starting Kafka broker (KRaft, single node) in " + dataDir.resolve("kafka"));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"));
        TokenLedgerConfig config = TokenLedgerConfig.builder()
                .layer("embedded", Map.of(
                        TokenLedgerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                        TokenLedgerConfig.SCHEMA_REGISTRY_URL, "mem://tokenledger-embedded",
                        "replication.factor", "1",
                        "num.stream.threads", "1",
                        // One instance here, so one govern partition: a spend sum then crosses
                        // govern-spend-by-scope once instead of once per partition its scopes fall in.
                        GovernSettings.PARTITIONS, "1",
                        // Likewise one task-stage partition for one instance.
                        TokenLedgerConfig.TASK_PARTITIONS, "1"))
                .layer("overrides", overrides)
                .build();
        SchemaRegistry registry = SchemaRegistries.fromConfig(config.asMap());
        EmbeddedStack stack = new EmbeddedStack(dataDir, broker, config, registry, metrics);
        try (Admin admin = stack.admin()) {
            TopicSetup.ensure(admin, TopicSetup.plan(stack.topics, PARTITIONS, (short) 1));
        }
        progress.accept("Kafka ready at " + broker.bootstrapServers() + "; topics created");
        return stack;
    }

    public PipelineRunner startPipeline(Consumer<String> progress) throws InterruptedException {
        return startPipelines(1, progress).get(0);
    }

    /**
     * Starts {@code instances} instances of the application (one application id, a state directory
     * each), as a deployment of that many would run, and waits until all of them are running.
     */
    public List<PipelineRunner> startPipelines(int instances, Consumer<String> progress) throws InterruptedException {
        progress.accept("starting " + (instances == 1 ? "the Streams application" : instances + " instances of the Streams application")
                + " (exactly_once_v2)");
        for (int i = 0; i < instances; i++) {
            pipelines.add(PipelineRunner.start(config, registry, metrics, dataDir.resolve(i == 0 ? "streams" : "streams-" + (i + 1))));
        }
        for (PipelineRunner pipeline : pipelines) {
            if (!pipeline.awaitRunning(Duration.ofSeconds(90))) {
                throw new IllegalStateException("Streams application did not reach RUNNING (state " + pipeline.state() + ")");
            }
        }
        progress.accept("Streams application running");
        return List.copyOf(pipelines);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(p);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public TokenLedgerConfig config() {
        return config;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    public Topics topics() {
        return topics;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the Streams application only; the broker keeps running (for crash/restart tests). */
    public void stopPipeline() {
        pipelines.forEach(PipelineRunner::close);
        pipelines.clear();
    }

    @Override
    public void close() {
        stopPipeline();
        broker.close();
    }
}
