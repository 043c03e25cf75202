package dev.tokenledger.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The warehouse sink connector configurations shipped in {@code connect/*.properties}, completed with where the
 * warehouse and the schema registry are. The same settings, as JSON for a distributed Connect REST API, are in
 * {@code deploy/connect/}.
 */
public final class SinkConnectorConfigs {

    public static final String ROLLUPS = "llm-rollups-sink";
    public static final String PRICED_USAGE = "llm-usage-priced-sink";
    public static final String OWNERSHIP = "llm-ownership-sink";
    public static final String BUDGETS = "llm-budgets-sink";
    public static final String BUDGET_STATUS = "llm-budget-status-sink";
    public static final String BUDGET_ALERTS = "llm-alerts-budget-sink";
    public static final String RECONCILIATION = "llm-reconciliation-sink";
    public static final String RECONCILIATION_ALERTS = "llm-alerts-reconciliation-sink";

    public static final String TASK_RESULTS = "llm-task-results-sink";
    public static final String TASK_UNTASKED = "llm-task-untasked-sink";
    public static final String ANOMALY_ALERTS = "llm-alerts-anomaly-sink";

    /** Every sink, in the order the demo starts them. */
    public static final List<String> ALL = List.of(ROLLUPS, PRICED_USAGE, OWNERSHIP, BUDGETS, BUDGET_STATUS, BUDGET_ALERTS,
            TASK_RESULTS, TASK_UNTASKED, ANOMALY_ALERTS, RECONCILIATION, RECONCILIATION_ALERTS);

    public static final String WORKER = "worker";
    public static final String SCHEMA_REGISTRY_URL = "value.converter.schema.registry.url";
    /** The settings of a sink that name Kafka topics (a comma-separated list for {@code topics}). */
    static final List<String> TOPIC_KEYS = List.of("topics", "errors.deadletterqueue.topic.name");

    private SinkConnectorConfigs() {
    }

    /**
     * The tables the sinks write (their {@code collection.name.format}), in {@link #ALL}'s order: read from the
     * shipped configurations, so a new sink's table is included without a second list to keep in step.
     */
    public static List<String> tables() {
        return ALL.stream().map(name -> {
            String table = load(name).get("collection.name.format");
            if (table == null || !table.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalStateException(name + ": collection.name.format must name one table, not " + table);
            }
            return table;
        }).distinct().toList();
    }

    /** A connector's shipped settings, without a warehouse or registry. */
    public static Map<String, String> load(String name) {
        String resource = "connect/" + name + ".properties";
        try (InputStream in = SinkConnectorConfigs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no connector configuration " + resource + " on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            Map<String, String> config = new TreeMap<>();
            properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** A connector's settings pointed at a warehouse and a schema registry, ready for {@link EmbeddedConnect}. */
    public static Map<String, String> sink(String name, String jdbcUrl, String user, String password,
                                           String schemaRegistryUrl) {
        Map<String, String> config = new LinkedHashMap<>(load(name));
        config.put("connection.url", jdbcUrl);
        config.put("connection.username", user);
        config.put("connection.password", password == null ? "" : password);
        config.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        return config;
    }

    /** A connector's settings pointed at the embedded warehouse. */
    public static Map<String, String> sink(String name, EmbeddedWarehouse warehouse, String schemaRegistryUrl) {
        return sink(name, warehouse.jdbcUrl(), EmbeddedWarehouse.USER, "", schemaRegistryUrl);
    }

    /**
     * {@code config} reading and dead-lettering to the topics a pipeline actually uses: {@code topicNames} maps each
     * shipped topic name ({@code llm.rollups.v1}) to the pipeline's (a {@code tokenledger.topic.<name>} override).
     * The shipped files name the default topics, so without this an override would leave a sink reading a topic
     * nobody writes.
     *
     * @throws IllegalArgumentException when the sink names a topic {@code topicNames} does not know
     */
    public static Map<String, String> withTopics(Map<String, String> config, Map<String, String> topicNames) {
        Map<String, String> renamed = new LinkedHashMap<>(config);
        for (String key : TOPIC_KEYS) {
            String value = config.get(key);
            if (value == null) {
                continue;
            }
            List<String> topics = new ArrayList<>();
            for (String shipped : value.split(",")) {
                String actual = topicNames.get(shipped.strip());
                if (actual == null) {
                    throw new IllegalArgumentException(config.get("name") + ": " + key + " names topic " + shipped.strip()
                            + ", which the pipeline's topic names do not include " + topicNames.keySet());
                }
                topics.add(actual);
            }
            renamed.put(key, String.join(",", topics));
        }
        return renamed;
    }
}
