package dev.tokenledger.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Layered configuration: built-in defaults &lt; properties file &lt; environment &lt; command line.
 *
 * <p>Keys under {@code tokenledger.} configure the pipeline; every other key is passed to Kafka
 * (Streams, producers, consumers, admin) as is. Environment variables map to keys the usual way:
 * {@code TOKENLEDGER_DEDUPE_RETENTION} is {@code tokenledger.dedupe.retention} and
 * {@code KAFKA_BOOTSTRAP_SERVERS} is {@code bootstrap.servers}. A key given twice in one layer is an
 * error, so a typo in a file cannot silently shadow another line. Every {@code tokenledger.*} key and
 * the defaults are declared in {@link ConfigRegistry}; building a configuration validates it there.
 */
public final class TokenLedgerConfig {

    public static final String PREFIX = "tokenledger.";

    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    public static final String DEDUPE_RETENTION = "tokenledger.dedupe.retention";
    public static final String MAX_FUTURE_SKEW = "tokenledger.validate.max-future-skew";
    public static final String MAX_EVENT_AGE = "tokenledger.validate.max-event-age";
    public static final String ROLLUP_EMIT_INTERVAL = "tokenledger.rollup.emit-interval";
    public static final String BUDGET_SPEND_INTERVAL = "tokenledger.budget.spend-interval";
    public static final String DEFAULT_OWNER = "tokenledger.attribution.default-owner";
    // Budget and ceiling keys, read by govern.GovernSettings.
    public static final String BUDGET_PARTITIONS = "tokenledger.budget.partitions";
    public static final String BUDGET_STATUS_REFRESH = "tokenledger.budget.status-refresh";
    public static final String BUDGET_RECONCILE_INTERVAL = "tokenledger.budget.reconcile-interval";
    public static final String BUDGET_FORECAST_WINDOW = "tokenledger.budget.forecast-window";
    public static final String BUDGET_CONTRIBUTORS_TRACKED = "tokenledger.budget.contributors-tracked";
    public static final String CEILING_REQUEST_USD = "tokenledger.ceiling.request-usd";
    public static final String CEILING_AGENT_RUN_USD = "tokenledger.ceiling.agent-run-usd";
    public static final String CEILING_AGENT_RUN_CALLS = "tokenledger.ceiling.agent-run-calls";
    public static final String CEILING_AGENT_RUN_INACTIVITY = "tokenledger.ceiling.agent-run-inactivity";
    public static final String CEILING_ACTION = "tokenledger.ceiling.action";
    public static final String CEILING_FEATURE_PREFIX = "tokenledger.ceiling.feature.";
    // Task outcome keys, read by task.TaskSettings.
    public static final String TASK_COMPLETION_WINDOW = "tokenledger.task.completion-window";
    public static final String TASK_FINAL_RETENTION = "tokenledger.task.final-retention";
    public static final String TASK_PARTITIONS = "tokenledger.task.partitions";
    // Reconciliation keys, read by reconcile.ReconcileTopology.
    public static final String RECONCILE_INTERVAL = "tokenledger.reconcile.interval";
    public static final String RECONCILE_TOLERANCE_LINE_USD = "tokenledger.reconcile.tolerance.line-usd";
    public static final String RECONCILE_TOLERANCE_MONTH_USD = "tokenledger.reconcile.tolerance.month-usd";
    public static final String RECONCILE_TOLERANCE_RELATIVE = "tokenledger.reconcile.tolerance.relative";
    public static final String TOPIC_PREFIX = "tokenledger.topic.";

    /** HTTP ingest ({@code POST /v1/traces}, {@code POST /ingest/{format}}): docs/ingest.md#http-ingest. */
    public static final String HTTP_INGEST_BEARER_TOKENS = "tokenledger.http.ingest.bearer-tokens";
    public static final String HTTP_INGEST_MAX_BODY_BYTES = "tokenledger.http.ingest.max-body-bytes";
    public static final String HTTP_INGEST_MAX_IN_FLIGHT = "tokenledger.http.ingest.max-in-flight";
    public static final String HTTP_INGEST_RETRY_AFTER = "tokenledger.http.ingest.retry-after";
    public static final String HTTP_INGEST_ACK_TIMEOUT = "tokenledger.http.ingest.ack-timeout";

    public static final String ANOMALY_ENABLED = "tokenledger.anomaly.enabled";
    public static final String ANOMALY_GRACE_HOURS = "tokenledger.anomaly.grace-hours";
    public static final String ANOMALY_KINDS = "tokenledger.anomaly.kinds";
    public static final String ANOMALY_SPEND_MIN_HISTORY_HOURS = "tokenledger.anomaly.spend-min-history-hours";
    public static final String ANOMALY_RATIO_MIN_HISTORY_HOURS = "tokenledger.anomaly.ratio-min-history-hours";
    public static final String ANOMALY_MIN_SCORE = "tokenledger.anomaly.min-score";
    public static final String ANOMALY_COVERAGE_TARGET = "tokenledger.anomaly.coverage-target";
    public static final String ANOMALY_PLANNED = "tokenledger.anomaly.planned";
    /** {@code tokenledger.anomaly.<kind>.<threshold>}, declared per statistical kind in ConfigRegistry. */
    public static final String ANOMALY_PREFIX = "tokenledger.anomaly.";
    /** How long {@code run} waits for the broker (and a remote registry) to answer before it gives up. */
    public static final String STARTUP_TIMEOUT = "tokenledger.runtime.startup-timeout";
    /** How long a close (on SIGTERM, or after a failure) may take to finish the open transactions. */
    public static final String CLOSE_TIMEOUT = "tokenledger.runtime.close-timeout";
    /** Failed stream threads replaced within {@link #THREAD_REPLACEMENT_WINDOW}; one more shuts the client down. */
    public static final String MAX_THREAD_REPLACEMENTS = "tokenledger.runtime.max-thread-replacements";
    public static final String THREAD_REPLACEMENT_WINDOW = "tokenledger.runtime.thread-replacement-window";
    /** Bearer token of the operator credential for the HTTP endpoints (empty: no authentication); read by http.HttpAuth. */
    public static final String HTTP_TOKEN = "tokenledger.http.token";
    /** Bearer token of the gateways' read-only credential: {@code /budgets} only. */
    public static final String HTTP_BUDGETS_TOKEN = "tokenledger.http.budgets-token";
    /** Whether {@code /metrics} is served without a token when tokens are configured. */
    public static final String HTTP_METRICS_OPEN = "tokenledger.http.metrics-open";

    /** Where a built-in default comes from, in {@link #source(String)}. */
    public static final String DEFAULT_SOURCE = "default";

    private final Map<String, String> values;
    private final Map<String, String> sources;

    private TokenLedgerConfig(Map<String, String> values, Map<String, String> sources) {
        ConfigRegistry.validate(values);
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults plus the given overrides; for tests and embedded runs. */
    public static TokenLedgerConfig of(Map<String, String> overrides) {
        return builder().layer("overrides", overrides).build();
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing configuration key " + key);
        }
        return v;
    }

    public String getOrDefault(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** A duration key's value; the registry checked it is a positive ISO-8601 duration when this was built. */
    public Duration duration(String key) {
        return Duration.parse(get(key));
    }

    /** An integer key's value, range-checked by the registry. */
    public int integer(String key) {
        return Integer.parseInt(get(key));
    }

    /** The topic name for a logical topic, e.g. {@code topic("usage")} is {@code llm.usage.v1} unless overridden. */
    public String topic(String logicalName) {
        return get(TOPIC_PREFIX + logicalName);
    }

    /** Every key that is not a tokenledger key: what Kafka clients and Streams are given. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                p.setProperty(k, v);
            }
        });
        return p;
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The layer a key's value came from: {@code default}, {@code file PATH}, {@code environment}, {@code command line}, … */
    public String source(String key) {
        return sources.getOrDefault(key, "unset");
    }

    /** A copy with one key set (and validated), its source being {@code layerName}. */
    public TokenLedgerConfig with(String key, String value, String layerName) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        Map<String, String> copiedSources = new LinkedHashMap<>(sources);
        copy.put(key, value);
        copiedSources.put(key, layerName);
        return new TokenLedgerConfig(copy, copiedSources);
    }

    public TokenLedgerConfig with(String key, String value) {
        return with(key, value, "program");
    }

    /** Accumulates layers in increasing precedence. */
    public static final class Builder {
        private final Map<String, String> merged = ConfigRegistry.defaults();
        private final Map<String, String> sources = new LinkedHashMap<>();

        private Builder() {
            merged.keySet().forEach(k -> sources.put(k, DEFAULT_SOURCE));
        }

        /** Keys of a later layer win; each key remembers the layer it was last set by. */
        public Builder layer(String layerName, Map<String, String> layer) {
            // Trimmed, as Kafka's own ConfigDef does: a stray space in an environment variable is no typo.
            layer.forEach((k, v) -> {
                merged.put(k, v.trim());
                sources.put(k, layerName);
            });
            return this;
        }

        /** A Java properties file; a key that appears twice in the file is an error. */
        public Builder file(Path path) {
            Map<String, String> layer = new LinkedHashMap<>();
            Properties strict = new Properties() {
                @Override
                public synchronized Object put(Object key, Object value) {
                    if (containsKey(key)) {
                        throw new IllegalArgumentException(path + ": key " + key + " is set twice");
                    }
                    return super.put(key, value);
                }
            };
            try (Reader r = Files.newBufferedReader(path)) {
                strict.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read configuration file " + path + ": " + e.getMessage(), e);
            }
            strict.forEach((k, v) -> layer.put(k.toString().trim(), v.toString().trim()));
            return layer("file " + path, layer);
        }

        /** {@code TOKENLEDGER_*} and {@code KAFKA_*} variables. */
        public Builder environment(Map<String, String> env) {
            Map<String, String> layer = new LinkedHashMap<>();
            env.forEach((name, value) -> {
                if (name.startsWith("TOKENLEDGER_") && !name.equals("TOKENLEDGER_JAVA_OPTS")) {
                    layer.put(PREFIX + envToKey(name.substring("TOKENLEDGER_".length()), "-"), value);
                } else if (name.startsWith("KAFKA_") && !name.equals("KAFKA_HEAP_OPTS") && !name.equals("KAFKA_OPTS")) {
                    layer.put(envToKey(name.substring("KAFKA_".length()), "."), value);
                }
            });
            return layer("environment", layer);
        }

        /** {@code key=value} pairs from the command line ({@code --set key=value}). */
        public Builder commandLine(Map<String, String> overrides) {
            return layer("command line", overrides);
        }

        public TokenLedgerConfig build() {
            return new TokenLedgerConfig(new LinkedHashMap<>(merged), new LinkedHashMap<>(sources));
        }

        // TOKENLEDGER_DEDUPE_RETENTION -> dedupe.retention; the last segment keeps '-' for multi-word
        // names written with a double underscore: VALIDATE_MAX__FUTURE__SKEW -> validate.max-future-skew.
        private static String envToKey(String rest, String wordSeparator) {
            String lower = rest.toLowerCase(java.util.Locale.ROOT);
            return lower.replace("__", "\u0000").replace('_', '.').replace("\u0000", wordSeparator);
        }
    }
}
