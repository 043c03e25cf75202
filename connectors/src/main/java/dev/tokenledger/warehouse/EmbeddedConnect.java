package dev.tokenledger.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.Worker;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.distributed.NotLeaderException;
import org.apache.kafka.connect.runtime.distributed.RebalanceNeededException;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.ConnectRestServer;
import org.apache.kafka.connect.runtime.rest.RestClient;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker inside this JVM: standalone for the demo's warehouse sink, or distributed
 * ({@link #startDistributed}) for tests of the cluster shape. Built from the same parts as
 * {@code connect-standalone}, minus what does not suit a library: no {@code System.exit} on a failed start and no
 * JVM shutdown hook (the owner calls {@link #close()}).
 */
public final class EmbeddedConnect implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnect.class);
    private static final String OFFSETS_FILE = "connect.offsets";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Herder herder;
    private final ConnectRestServer rest;

    private EmbeddedConnect(Herder herder, ConnectRestServer rest) {
        this.herder = herder;
        this.rest = rest;
    }

    /**
     * Starts a distributed worker (the shape a cluster runs: connector configs, offsets and statuses in Kafka topics,
     * tasks balanced over every worker of {@code group.id}) with the shipped {@code connect/worker.properties},
     * {@code bootstrap.servers}, the group and its three topics ({@code <group>-configs}, {@code -offsets},
     * {@code -status}, replication factor 1 unless {@code overrides} say otherwise), then {@code overrides}.
     * Returns once the worker's herder runs; {@link #startConnector} waits until the worker has joined the group.
     */
    public static EmbeddedConnect startDistributed(String bootstrapServers, String groupId, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>(SinkConnectorConfigs.load(SinkConnectorConfigs.WORKER));
        props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(DistributedConfig.GROUP_ID_CONFIG, groupId);
        props.put(DistributedConfig.CONFIG_TOPIC_CONFIG, groupId + "-configs");
        props.put(DistributedConfig.OFFSET_STORAGE_TOPIC_CONFIG, groupId + "-offsets");
        props.put(DistributedConfig.STATUS_STORAGE_TOPIC_CONFIG, groupId + "-status");
        props.put(DistributedConfig.CONFIG_STORAGE_REPLICATION_FACTOR_CONFIG, "1");
        props.put(DistributedConfig.OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG, "1");
        props.put(DistributedConfig.STATUS_STORAGE_REPLICATION_FACTOR_CONFIG, "1");
        props.put(DistributedConfig.OFFSET_STORAGE_PARTITIONS_CONFIG, "1");
        props.put(DistributedConfig.STATUS_STORAGE_PARTITIONS_CONFIG, "1");
        props.putAll(overrides);

        Plugins plugins = new Plugins(props);
        ClassLoader callerLoader = plugins.compareAndSwapWithDelegatingLoader();
        ConnectRestServer rest = null;
        try {
            DistributedParts parts = new DistributedParts();
            DistributedConfig config = parts.createConfig(props);
            RestClient restClient = new RestClient(config);
            rest = new ConnectRestServer(config.rebalanceTimeout(), restClient, config.originals());
            rest.initializeServer();
            URI advertised = rest.advertisedUrl();
            String workerId = advertised.getHost() + ":" + advertised.getPort();
            DistributedHerder herder = parts.herder(config, workerId, plugins, overridePolicy(config), rest, restClient);
            herder.start();
            rest.initializeResources(herder);
            LOG.info("Embedded distributed Connect worker {} up in group {}, REST at {}", workerId, groupId, advertised);
            return new EmbeddedConnect(herder, rest);
        } catch (RuntimeException e) {
            if (rest != null) {
                rest.stop();
            }
            throw e;
        } finally {
            Plugins.compareAndSwapLoaders(callerLoader);
        }
    }

    /**
     * Kafka's own assembly of a distributed herder (backing stores on Kafka topics, a shared admin), reached
     * through its protected factory methods; {@code connect-distributed}'s start path around it is not used, since
     * it exits the JVM when the worker cannot start and installs a shutdown hook.
     */
    private static final class DistributedParts extends ConnectDistributed {
        DistributedHerder herder(DistributedConfig config, String workerId, Plugins plugins,
                                 ConnectorClientConfigOverridePolicy policy, ConnectRestServer rest, RestClient restClient) {
            return createHerder(config, workerId, plugins, policy, rest, restClient);
        }

        @Override
        protected DistributedConfig createConfig(Map<String, String> props) {
            return super.createConfig(props);
        }
    }

    /** Starts a worker on {@code bootstrapServers}, its offsets file under {@code dataDir}, with the shipped defaults. */
    public static EmbeddedConnect start(String bootstrapServers, Path dataDir) {
        return start(bootstrapServers, dataDir, Map.of());
    }

    /**
     * Starts a worker with the shipped {@code connect/worker.properties}, {@code bootstrap.servers} and the offsets
     * file set, then {@code overrides} (e.g. {@code listeners}) applied last.
     */
    public static EmbeddedConnect start(String bootstrapServers, Path dataDir, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>(SinkConnectorConfigs.load(SinkConnectorConfigs.WORKER));
        props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Connect data directory " + dataDir, e);
        }
        props.put(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG, dataDir.resolve(OFFSETS_FILE).toString());
        props.putAll(overrides);

        Plugins plugins = new Plugins(props);
        ClassLoader callerLoader = plugins.compareAndSwapWithDelegatingLoader();
        ConnectRestServer rest = null;
        try {
            StandaloneConfig config = new StandaloneConfig(props);
            rest = new ConnectRestServer(config.rebalanceTimeout(), new RestClient(config), config.originals());
            rest.initializeServer();
            URI advertised = rest.advertisedUrl();
            String workerId = advertised.getHost() + ":" + advertised.getPort();

            ConnectorClientConfigOverridePolicy policy = overridePolicy(config);
            OffsetBackingStore offsets = new FileOffsetBackingStore(
                    plugins.newInternalConverter(true, JsonConverter.class.getName(), Map.of("schemas.enable", "false")));
            offsets.configure(config);
            Worker worker = new Worker(workerId, Time.SYSTEM, plugins, config, offsets, policy);
            StandaloneHerder herder = new StandaloneHerder(worker, config.kafkaClusterId(), policy);
            herder.start();
            rest.initializeResources(herder);
            LOG.info("Embedded Connect worker {} up, REST at {}", workerId, advertised);
            return new EmbeddedConnect(herder, rest);
        } catch (RuntimeException e) {
            if (rest != null) {
                rest.stop();
            }
            throw e;
        } finally {
            Plugins.compareAndSwapLoaders(callerLoader);
        }
    }

    /**
     * Instantiated here rather than through Plugins, whose overloads drag a Maven API into the compile classpath.
     * Accepts a class name or one of the framework's aliases (All, None, Allowlist, Principal).
     */
    private static ConnectorClientConfigOverridePolicy overridePolicy(WorkerConfig config) {
        String name = config.getString(WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_CONFIG);
        String className = name.contains(".") ? name
                : ConnectorClientConfigOverridePolicy.class.getPackageName() + "." + name
                        + ConnectorClientConfigOverridePolicy.class.getSimpleName();
        try {
            ConnectorClientConfigOverridePolicy policy =
                    Utils.newInstance(className, ConnectorClientConfigOverridePolicy.class);
            policy.configure(config.originals());
            return policy;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("unknown connector client config override policy", e);
        }
    }

    /** Creates (or replaces) the connector named by {@code config.get("name")}; returns once the worker accepted it. */
    public void startConnector(Map<String, String> config) {
        String name = config.get("name");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("connector config has no name");
        }
        // A distributed worker takes requests only once it has joined its group and read the config topic: until
        // then it answers that a rebalance is in progress (or that it is not the leader yet); ask again.
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.multipliedBy(2).toNanos();
        while (true) {
            FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
            herder.putConnectorConfig(name, Map.copyOf(config), true, created);
            try {
                await(created, "create connector " + name);
                return;
            } catch (IllegalStateException e) {
                boolean joining = e.getCause() instanceof RebalanceNeededException || e.getCause() instanceof NotLeaderException;
                if (!joining || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep();
            }
        }
    }

    /** Waits until the connector and all its tasks report RUNNING; fails fast with the trace if one FAILED. */
    public void awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ConnectorStateInfo status = null;
        while (System.nanoTime() < deadline) {
            try {
                status = herder.connectorStatus(name);
            } catch (RuntimeException notYetKnown) {
                status = null;
            }
            if (status != null) {
                if ("FAILED".equals(status.connector().state())) {
                    throw new IllegalStateException("connector " + name + " failed: " + status.connector().trace());
                }
                for (ConnectorStateInfo.TaskState task : status.tasks()) {
                    if ("FAILED".equals(task.state())) {
                        throw new IllegalStateException("task " + task.id() + " of " + name + " failed: " + task.trace());
                    }
                }
                boolean running = "RUNNING".equals(status.connector().state()) && !status.tasks().isEmpty()
                        && status.tasks().stream().allMatch(task -> "RUNNING".equals(task.state()));
                if (running) {
                    return;
                }
            }
            sleep();
        }
        throw new IllegalStateException("connector " + name + " not running after " + timeout + ": " + describe(status));
    }

    /** The connector's state and its tasks' states, e.g. {@code RUNNING [0=RUNNING]}, for logs and health checks. */
    public String state(String name) {
        return describe(herder.connectorStatus(name));
    }

    @Override
    public void close() {
        rest.stop();
        herder.stop();
    }

    private static String describe(ConnectorStateInfo status) {
        if (status == null) {
            return "unknown";
        }
        StringBuilder text = new StringBuilder(status.connector().state()).append(" [");
        for (ConnectorStateInfo.TaskState task : status.tasks()) {
            text.append(task.id()).append('=').append(task.state()).append(' ');
        }
        return text.toString().strip() + "]";
    }

    private static <T> T await(FutureCallback<T> callback, String what) {
        try {
            return callback.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " within " + REQUEST_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
