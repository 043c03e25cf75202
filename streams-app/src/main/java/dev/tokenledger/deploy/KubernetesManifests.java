package dev.tokenledger.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokenledger.config.ConfigRegistry;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.runtime.TopicSetup;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The manifests in {@code deploy/kubernetes/base} that follow from the code, so that they cannot drift
 * from it: a {@code KafkaTopic} per contract topic (partitions and compaction as {@code run --create-topics}
 * makes them, {@link TopicSetup#plan}; retention from {@link TopicRetention}), a {@code KafkaConnector} per
 * warehouse sink ({@link SinkConnectorConfigs#ALL}, with the same deployment settings as
 * {@code deploy/connect/*.json}), and the application's ConfigMap: every key of {@link ConfigRegistry}
 * with its meaning and default, and the few values a Kubernetes deployment sets. {@code KubernetesManifestsTest}
 * holds the checked-in files equal to this class's output (and rewrites them when they differ).
 */
public final class KubernetesManifests {

    /** The Strimzi {@code Kafka} resource's name: its bootstrap service is {@code tokenledger-kafka-bootstrap}. */
    public static final String KAFKA_CLUSTER = "tokenledger";
    public static final String CONNECT_CLUSTER = "tokenledger-connect";
    /** Partitions of the contract topics that are not compacted, as {@code run --create-topics} defaults them. */
    public static final int PARTITIONS = 6;
    public static final int REPLICAS = 3;
    public static final String MIN_IN_SYNC_REPLICAS = "2";
    public static final String CONFIG_FILE = "tokenledger.properties";

    /** Where a Kubernetes deployment differs from the registry's defaults (single-process values there). */
    public static final Map<String, String> DEPLOYMENT_VALUES = Map.of(
            TokenLedgerConfig.BOOTSTRAP_SERVERS, KAFKA_CLUSTER + "-kafka-bootstrap:9093",
            TokenLedgerConfig.SCHEMA_REGISTRY_URL, "http://schema-registry:8081");

    /** Kafka Streams keys the registry leaves to Kafka, set for a replicated cluster (overlays override by environment). */
    private static final Map<String, String[]> KAFKA_KEYS = kafkaKeys();

    /** The sinks' deployment-specific settings, as in deploy/connect (warehouse credentials from a mounted file). */
    public static final Map<String, String> SINK_DEPLOYMENT_VALUES = sinkDeploymentValues();

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            // Connector settings are strings: "500", not 500.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private KubernetesManifests() {
    }

    private static Map<String, String[]> kafkaKeys() {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("replication.factor", new String[] {"3", "replication of the internal topics (repartitions, changelogs)"});
        k.put("num.standby.replicas", new String[] {"1", "a warm copy of every store on another instance: a failed pod's tasks "
                + "resume without restoring from the changelogs"});
        k.put("num.stream.threads", new String[] {"1", "stream threads per instance (overlays set KAFKA_NUM_STREAM_THREADS)"});
        return k;
    }

    private static Map<String, String> sinkDeploymentValues() {
        String file = "${file:/opt/kafka/external-configuration/tokenledger-warehouse/warehouse.properties:";
        Map<String, String> v = new LinkedHashMap<>();
        v.put("errors.deadletterqueue.topic.replication.factor", String.valueOf(REPLICAS));
        v.put("connection.url", file + "url}");
        v.put("connection.username", file + "username}");
        v.put("connection.password", file + "password}");
        v.put(SinkConnectorConfigs.SCHEMA_REGISTRY_URL, DEPLOYMENT_VALUES.get(TokenLedgerConfig.SCHEMA_REGISTRY_URL));
        return v;
    }

    /** {@code base/kafka-topics.yaml}. */
    public static String kafkaTopics(Topics topics) {
        List<Object> docs = new ArrayList<>();
        String deadLetters = topics.dlq.name();
        String sinkDeadLetters = topics.byShippedName().get("llm.sink.dlq.v1");
        for (NewTopic t : TopicSetup.plan(topics, PARTITIONS, (short) REPLICAS)) {
            Map<String, String> configs = t.configs();
            String cleanup = configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup);
            TopicRetention.of(cleanup, t.name().equals(deadLetters) || t.name().equals(sinkDeadLetters))
                    .ifPresent(r -> config.put(TopicConfig.RETENTION_MS_CONFIG, r.toMillis()));
            new TreeMap<>(configs).forEach((k, v) -> config.putIfAbsent(k, v));
            config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, MIN_IN_SYNC_REPLICAS);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("topicName", t.name());
            spec.put("partitions", t.numPartitions());
            spec.put("replicas", (int) t.replicationFactor());
            spec.put("config", config);
            docs.add(resource("kafka.strimzi.io/v1beta2", "KafkaTopic", t.name(), Map.of("strimzi.io/cluster", KAFKA_CLUSTER), spec));
        }
        return header("every contract topic (TopicSetup.plan, TopicRetention)") + documents(docs);
    }

    /** {@code base/kafka-connectors.yaml}. */
    public static String kafkaConnectors() {
        List<Object> docs = new ArrayList<>();
        for (String name : SinkConnectorConfigs.ALL) {
            Map<String, String> shipped = new TreeMap<>(SinkConnectorConfigs.load(name));
            String connectorClass = shipped.remove("connector.class");
            int tasksMax = Integer.parseInt(shipped.remove("tasks.max"));
            shipped.remove("name");
            Map<String, String> config = new LinkedHashMap<>(shipped);
            config.putAll(SINK_DEPLOYMENT_VALUES);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("class", connectorClass);
            spec.put("tasksMax", tasksMax);
            spec.put("config", config);
            docs.add(resource("kafka.strimzi.io/v1beta2", "KafkaConnector", name, Map.of("strimzi.io/cluster", CONNECT_CLUSTER), spec));
        }
        return header("one KafkaConnector per warehouse sink (SinkConnectorConfigs.ALL, as deploy/connect/*.json)") + documents(docs);
    }

    /** {@code base/configmap.yaml}: the properties file {@code run --config} reads. */
    public static String configMap() {
        StringBuilder p = new StringBuilder();
        p.append("# Every key tokenledger declares (ConfigRegistry), with its default unless this deployment sets it.\n");
        p.append("# Environment variables (TOKENLEDGER_*, KAFKA_*) in the StatefulSet override these.\n");
        for (Map.Entry<String, ConfigDef.ConfigKey> e : ConfigRegistry.DEF.configKeys().entrySet()) {
            ConfigDef.ConfigKey key = e.getValue();
            String fallback = ConfigDef.convertToString(key.defaultValue, key.type);
            String value = DEPLOYMENT_VALUES.getOrDefault(key.name, fallback);
            p.append("\n# ").append(oneLine(key.documentation));
            if (!value.equals(fallback)) {
                p.append("\n# (default: ").append(fallback).append(')');
            }
            p.append('\n').append(key.name).append('=').append(escape(value)).append('\n');
        }
        p.append("\n# Kafka Streams keys without a tokenledger default\n");
        KAFKA_KEYS.forEach((k, v) -> p.append("\n# ").append(v[1]).append('\n').append(k).append('=').append(v[0]).append('\n'));
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "tokenledger-config");
        metadata.put("labels", Map.of("app.kubernetes.io/name", "tokenledger"));
        cm.put("metadata", metadata);
        cm.put("data", Map.of(CONFIG_FILE, p.toString()));
        return header("the application's configuration, from ConfigRegistry") + documents(List.of(cm));
    }

    /**
     * {@code base/prometheus-rule.yaml}: the rule groups of {@code deploy/observability/prometheus/tokenledger-rules.yaml}
     * (given as its text) as a PrometheusRule for the Prometheus operator.
     */
    public static String prometheusRule(String rulesYaml) {
        Object groups;
        try {
            groups = YAML.readTree(rulesYaml).get("groups");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the alert rules are not YAML: " + e.getOriginalMessage(), e);
        }
        if (groups == null) {
            throw new IllegalArgumentException("the alert rules have no groups");
        }
        return header("deploy/observability/prometheus/tokenledger-rules.yaml as a PrometheusRule")
                + documents(List.of(resource("monitoring.coreos.com/v1", "PrometheusRule", "tokenledger",
                        Map.of("app.kubernetes.io/name", "tokenledger"), Map.of("groups", groups))));
    }

    private static Map<String, Object> resource(String apiVersion, String kind, String name, Map<String, String> labels, Object spec) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("apiVersion", apiVersion);
        r.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("labels", labels);
        r.put("metadata", metadata);
        r.put("spec", spec);
        return r;
    }

    private static String header(String what) {
        return "# Generated by dev.tokenledger.deploy.KubernetesManifests: " + what + ".\n"
                + "# Do not edit: KubernetesManifestsTest rewrites this file from the code (and fails once) when it differs.\n";
    }

    private static String documents(List<Object> docs) {
        StringBuilder out = new StringBuilder();
        try {
            for (Object doc : docs) {
                out.append(YAML.writeValueAsString(doc)); // each starts with "---"
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a manifest", e);
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /** A properties value: backslashes doubled, a leading space kept. */
    private static String escape(String value) {
        String v = value.replace("\\", "\\\\");
        return v.startsWith(" ") ? "\\" + v : v;
    }
}
