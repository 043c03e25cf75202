package dev.tokenledger.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM,
 * for the embedded demo and integration tests.
 *
 * <p>Listens on 127.0.0.1 on free ports. The first start formats {@code dataDir} with Kafka's
 * {@code StorageTool}; later starts on the same directory (its {@code meta.properties} holds the
 * cluster id) keep the cluster and its data, which is what lets a test restart the broker under a
 * running pipeline. The {@code demo} command does not resume: it deletes its Kafka, Streams and
 * Connect directories and empties the warehouse's sink tables at every start (loaded revenue stays),
 * so each demo run begins from nothing. Tuned for
 * one node and little memory: internal topics with replication factor 1 and min ISR 1 (so
 * exactly-once transactions work), few partitions for internal topics, few threads, a small log
 * cleaner buffer, no initial rebalance delay, no automatic topic creation.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String INTERNAL_TOPIC_PARTITIONS = "4";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final Map<String, String> listenerAddresses;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, Map<String, String> listenerAddresses) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.listenerAddresses = listenerAddresses;
    }

    /**
     * A further client listener, beside the PLAINTEXT one the broker always has (which the broker itself and
     * {@link #createTopics} use): {@code name} as it appears in {@code listeners}, its {@code protocol}
     * ({@code SASL_SSL}, {@code SSL}, …), and settings given to it alone, each becoming
     * {@code listener.name.<name>.<key>} (e.g. {@code ssl.keystore.location}, {@code ssl.client.auth},
     * {@code sasl.enabled.mechanisms}, {@code scram-sha-512.sasl.jaas.config}).
     */
    public record Listener(String name, String protocol, Map<String, String> settings) {
        public Listener {
            if (!name.matches("[A-Z][A-Z0-9_]*") || name.equals("PLAINTEXT") || name.equals("CONTROLLER")) {
                throw new IllegalArgumentException("listener name must be upper case and not PLAINTEXT or CONTROLLER: " + name);
            }
            settings = Map.copyOf(settings);
        }
    }

    /** Starts a broker with further listeners or SCRAM users; {@link #start(Path)} is {@code builder(dataDir).start()}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A broker to start: port, further listeners, SCRAM credentials written when the storage is formatted. */
    public static final class Builder {
        private final Path dataDir;
        private int port = -1;
        private final List<Listener> listeners = new ArrayList<>();
        private final List<String> scramCredentials = new ArrayList<>();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The PLAINTEXT port (default: a free one). */
        public Builder port(int brokerPort) {
            this.port = brokerPort;
            return this;
        }

        /** Adds a client listener on a free port; its address is {@link #bootstrapServers(String)}. */
        public Builder listener(Listener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * A SCRAM user ({@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}), stored in the cluster metadata by the
         * storage format ({@code kafka-storage format --add-scram}); only a first start, which formats, adds it.
         */
        public Builder scramUser(String mechanism, String user, String password) {
            if (user.contains(",") || user.contains("]") || password.contains(",") || password.contains("]")) {
                throw new IllegalArgumentException("SCRAM user and password may not contain ',' or ']'");
            }
            scramCredentials.add(mechanism + "=[name=" + user + ",password=" + password + "]");
            return this;
        }

        public EmbeddedKafkaBroker start() {
            return EmbeddedKafkaBroker.start(dataDir, port < 0 ? freePort() : port, listeners, scramCredentials);
        }
    }

    /**
     * Starts a broker whose logs live under {@code dataDir}, formatting it first if it was never
     * formatted, and returns once the broker accepts clients.
     */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(dataDir, freePort());
    }

    /**
     * As {@link #start(Path)}, serving clients on the given port: a broker restarted on the same
     * directory and port is the same cluster at the same address, which clients reconnect to.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int brokerPort) {
        return start(dataDir, brokerPort, List.of(), List.of());
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int brokerPort, List<Listener> listeners, List<String> scramCredentials) {
        long startNanos = System.nanoTime();
        Path logDir = dataDir.toAbsolutePath().resolve("kafka-logs");
        int controllerPort = freePort();
        Properties properties = serverProperties(logDir, brokerPort, controllerPort);
        Map<String, String> listenerAddresses = new LinkedHashMap<>();
        for (Listener listener : listeners) {
            String address = HOST + ":" + freePort();
            listenerAddresses.put(listener.name(), address);
            addListener(properties, listener, address);
        }
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dataDir.toAbsolutePath(), properties, scramCredentials);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare Kafka data directory " + dataDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        String bootstrapServers = HOST + ":" + brokerPort;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrapServers, dataDir, Map.copyOf(listenerAddresses));
        try {
            server.startup();
            broker.awaitBrokerServing();
        } catch (RuntimeException e) {
            broker.close();
            throw new IllegalStateException("Embedded Kafka broker did not start in " + dataDir, e);
        }
        LOG.info("Embedded Kafka broker serving at {}{} (data in {}) after {} ms", bootstrapServers,
                listenerAddresses.isEmpty() ? "" : " and " + listenerAddresses, dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The address of a listener added with {@link Builder#listener}. */
    public String bootstrapServers(String listenerName) {
        String address = listenerAddresses.get(listenerName);
        if (address == null) {
            throw new IllegalArgumentException("no listener " + listenerName + "; the broker has " + listenerAddresses.keySet());
        }
        return address;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates the topics that do not exist yet (existing ones are left as they are) and waits until
     * every partition has a leader, so the first produce does not race metadata propagation.
     */
    public void createTopics(Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    created.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + name, e.getCause());
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw interruptedOrTimedOut("creating topic " + name, e);
                }
            });
            awaitLeaders(admin, topics.stream().map(NewTopic::name).collect(Collectors.toSet()));
        }
    }

    /** Stops the broker cleanly; gives up waiting (and logs it) after 30 seconds. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread stopper = new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "embedded-kafka-shutdown");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(SHUTDOWN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            LOG.warn("Embedded Kafka broker at {} did not shut down within {}", bootstrapServers, SHUTDOWN_TIMEOUT);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    /** Only unfenced brokers appear in cluster metadata: seeing ours means it serves clients. */
    private void awaitBrokerServing() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("Broker not serving yet", e);
                } catch (InterruptedException e) {
                    throw interruptedOrTimedOut("waiting for the broker", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Broker at " + bootstrapServers + " not serving after " + STARTUP_TIMEOUT);
                }
                sleep(100);
            }
        }
    }

    private void awaitLeaders(Admin admin, Set<String> names) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
                boolean allLed = described.values().stream()
                        .flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (allLed) {
                    return;
                }
            } catch (ExecutionException e) {
                LOG.debug("Topics {} not described yet", names, e);
            } catch (InterruptedException e) {
                throw interruptedOrTimedOut("waiting for topic leaders", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics " + names + " have no leader after " + ADMIN_TIMEOUT);
            }
            sleep(50);
        }
    }

    private static Properties serverProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // One node: every replication factor and min ISR is 1, or internal topics cannot be created.
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");

        // A single local consumer group has nobody to wait for.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");

        // Memory and threads for a 2-core machine shared with Streams and Connect in one JVM.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.io.buffer.size", Integer.toString(256 * 1024));
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.network.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("group.coordinator.threads", "1");
        return p;
    }

    private static void addListener(Properties p, Listener listener, String address) {
        p.put("listeners", p.getProperty("listeners") + "," + listener.name() + "://" + address);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + listener.name() + "://" + address);
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + "," + listener.name() + ":" + listener.protocol());
        String prefix = "listener.name." + listener.name().toLowerCase(Locale.ROOT) + ".";
        listener.settings().forEach((key, value) -> p.put(prefix + key, value));
    }

    private static void format(Path dataDir, Properties properties, List<String> scramCredentials) throws IOException {
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            properties.store(out, "Written by EmbeddedKafkaBroker to format the log directory");
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            List<String> args = new ArrayList<>(List.of("format", "--cluster-id", clusterId, "--config", configFile.toString()));
            scramCredentials.forEach(credential -> args.addAll(List.of("--add-scram", credential)));
            exitCode = StorageTool.execute(args.toArray(String[]::new), printer);
        }
        String printed = output.toString(StandardCharsets.UTF_8).trim();
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + dataDir + " failed: " + printed);
        }
        LOG.debug("Formatted Kafka storage with cluster id {}: {}", clusterId, printed);
    }

    /** A port free on the loopback address now, for a broker that must keep its address across restarts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static IllegalStateException interruptedOrTimedOut(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("Interrupted while " + what, e);
        }
        return new IllegalStateException("Timed out " + what, e);
    }
}
