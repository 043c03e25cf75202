package dev.tokenledger.config;

import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_COVERAGE_TARGET;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_ENABLED;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_GRACE_HOURS;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_KINDS;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_MIN_SCORE;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_PLANNED;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_PREFIX;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_RATIO_MIN_HISTORY_HOURS;
import static dev.tokenledger.config.TokenLedgerConfig.ANOMALY_SPEND_MIN_HISTORY_HOURS;
import static dev.tokenledger.config.TokenLedgerConfig.APPLICATION_ID;
import static dev.tokenledger.config.TokenLedgerConfig.BOOTSTRAP_SERVERS;
import static dev.tokenledger.config.TokenLedgerConfig.BUDGET_CONTRIBUTORS_TRACKED;
import static dev.tokenledger.config.TokenLedgerConfig.BUDGET_FORECAST_WINDOW;
import static dev.tokenledger.config.TokenLedgerConfig.BUDGET_PARTITIONS;
import static dev.tokenledger.config.TokenLedgerConfig.BUDGET_RECONCILE_INTERVAL;
import static dev.tokenledger.config.TokenLedgerConfig.BUDGET_STATUS_REFRESH;
import static dev.tokenledger.config.TokenLedgerConfig.RECONCILE_INTERVAL;
import static dev.tokenledger.config.TokenLedgerConfig.RECONCILE_TOLERANCE_LINE_USD;
import static dev.tokenledger.config.TokenLedgerConfig.RECONCILE_TOLERANCE_MONTH_USD;
import static dev.tokenledger.config.TokenLedgerConfig.RECONCILE_TOLERANCE_RELATIVE;
import static dev.tokenledger.config.TokenLedgerConfig.CEILING_ACTION;
import static dev.tokenledger.config.TokenLedgerConfig.CEILING_AGENT_RUN_CALLS;
import static dev.tokenledger.config.TokenLedgerConfig.CEILING_AGENT_RUN_INACTIVITY;
import static dev.tokenledger.config.TokenLedgerConfig.CEILING_AGENT_RUN_USD;
import static dev.tokenledger.config.TokenLedgerConfig.CEILING_FEATURE_PREFIX;
import static dev.tokenledger.config.TokenLedgerConfig.CEILING_REQUEST_USD;
import static dev.tokenledger.config.TokenLedgerConfig.CLOSE_TIMEOUT;
import static dev.tokenledger.config.TokenLedgerConfig.DEDUPE_RETENTION;
import static dev.tokenledger.config.TokenLedgerConfig.DEFAULT_OWNER;
import static dev.tokenledger.config.TokenLedgerConfig.HTTP_INGEST_ACK_TIMEOUT;
import static dev.tokenledger.config.TokenLedgerConfig.HTTP_INGEST_BEARER_TOKENS;
import static dev.tokenledger.config.TokenLedgerConfig.HTTP_INGEST_MAX_BODY_BYTES;
import static dev.tokenledger.config.TokenLedgerConfig.HTTP_INGEST_MAX_IN_FLIGHT;
import static dev.tokenledger.config.TokenLedgerConfig.HTTP_INGEST_RETRY_AFTER;
import static dev.tokenledger.config.TokenLedgerConfig.MAX_EVENT_AGE;
import static dev.tokenledger.config.TokenLedgerConfig.MAX_FUTURE_SKEW;
import static dev.tokenledger.config.TokenLedgerConfig.MAX_THREAD_REPLACEMENTS;
import static dev.tokenledger.config.TokenLedgerConfig.PREFIX;
import static dev.tokenledger.config.TokenLedgerConfig.ROLLUP_EMIT_INTERVAL;
import static dev.tokenledger.config.TokenLedgerConfig.BUDGET_SPEND_INTERVAL;
import static dev.tokenledger.config.TokenLedgerConfig.SCHEMA_REGISTRY_URL;
import static dev.tokenledger.config.TokenLedgerConfig.STARTUP_TIMEOUT;
import static dev.tokenledger.config.TokenLedgerConfig.TASK_COMPLETION_WINDOW;
import static dev.tokenledger.config.TokenLedgerConfig.TASK_FINAL_RETENTION;
import static dev.tokenledger.config.TokenLedgerConfig.TASK_PARTITIONS;
import static dev.tokenledger.config.TokenLedgerConfig.THREAD_REPLACEMENT_WINDOW;
import static dev.tokenledger.config.TokenLedgerConfig.TOPIC_PREFIX;
import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.tokenledger.money.PlainDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every configuration key tokenledger reads, declared once: type, default, validator and meaning.
 * A {@code tokenledger.*} key not declared here is an error (with the nearest known key suggested), so
 * a typo cannot silently leave a default in force. The Kafka keys tokenledger gives a default are
 * declared too; other Kafka keys pass through unchecked (Kafka validates them itself).
 *
 * <p>One key family has a free segment: {@code tokenledger.ceiling.feature.<feature>.<suffix>}, each
 * validated like the global ceiling of its suffix.
 */
public final class ConfigRegistry {

    /** How many contributors a budget alert names (govern.Alerts); the tracked count may not be fewer. */
    public static final int ALERT_TOP_CONTRIBUTORS = 3;

    /** Feature ceiling suffix → the global key whose validator and meaning it shares. */
    public static final Map<String, String> FEATURE_SUFFIXES = Map.of(
            ".request-usd", CEILING_REQUEST_USD, ".agent-run-usd", CEILING_AGENT_RUN_USD,
            ".agent-run-calls", CEILING_AGENT_RUN_CALLS, ".action", CEILING_ACTION);

    /** Logical topic → contract name; each is the default of {@code tokenledger.topic.<logical>}. */
    private static final Map<String, String> TOPICS = topics();

    public static final ConfigDef DEF = definition();

    private ConfigRegistry() {
    }

    private static Map<String, String> topics() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("usage", "llm.usage.v1");
        t.put("usage-json", "llm.usage.json.v1");
        t.put("pricebook", "llm.pricebook.v1");
        t.put("ownership", "llm.ownership.v1");
        t.put("budgets", "llm.budgets.v1");
        t.put("invoices", "llm.invoices.v1");
        t.put("priced", "llm.usage.priced.v1");
        t.put("rollups", "llm.rollups.v1");
        t.put("dlq", "llm.usage.dlq.v1");
        t.put("budget-alerts", "llm.alerts.budget.v1");
        t.put("budget-status", "llm.budget-status.v1");
        t.put("sink-dlq", "llm.sink.dlq.v1");
        t.put("task-outcomes", "llm.task-outcomes.v1");
        t.put("task-outcomes-json", "llm.task-outcomes.json.v1");
        t.put("task-results", "llm.task-results.v1");
        t.put("task-untasked", "llm.task-untasked.v1");
        t.put("reconciliation", "llm.reconciliation.v1");
        t.put("reconciliation-alerts", "llm.alerts.reconciliation.v1");
        t.put("anomaly-alerts", "llm.alerts.anomaly.v1");
        return t;
    }

    private static ConfigDef definition() {
        ConfigDef d = new ConfigDef()
                .define(APPLICATION_ID, STRING, "tokenledger", HIGH,
                        "consumer group and prefix of every internal topic; a new value is a new application with empty state")
                .define(BOOTSTRAP_SERVERS, STRING, "localhost:9092", HIGH, "Kafka bootstrap servers")
                .define(SCHEMA_REGISTRY_URL, STRING, "mem://tokenledger", HIGH,
                        "a Confluent-compatible registry URL; `mem://…` is the in-JVM registry (single process only)")
                .define("processing.guarantee", STRING, "exactly_once_v2", HIGH, "Kafka Streams processing guarantee")

                .define(MAX_EVENT_AGE, STRING, "P62D", new PositiveDuration(), HIGH, // the whole previous calendar month, on any day of this one
                        "accept events whose event time is at most this far before the wall clock; older → DLQ `too_old`; "
                                + "also sizes the rollup and dedupe stores' retention. Changing it needs a reset")
                .define(MAX_FUTURE_SKEW, STRING, "PT5M", new PositiveDuration(), MEDIUM,
                        "accept events at most this far after the wall clock; later → DLQ `future_timestamp`")
                .define(DEDUPE_RETENTION, STRING, "PT24H", new PositiveDuration(), HIGH,
                        "occurrences of a `request_id` within this much event time of the priced one are duplicates; "
                                + "also the width of the dedupe store's buckets. Changing it needs a reset")
                .define(ROLLUP_EMIT_INTERVAL, STRING, "PT1S", new PositiveDuration(), MEDIUM,
                        "wall-clock interval at which the rollup stage folds its sums into the windows and writes changed rollups to `llm.rollups.v1`")
                .define(BUDGET_SPEND_INTERVAL, STRING, "PT0.2S", new PositiveDuration(), MEDIUM,
                        "wall-clock interval at which the rollup stage hands the spend it has summed to the budget stage: "
                                + "most of the budget enforcement latency")
                .define(DEFAULT_OWNER, STRING, "finops@example.com", new ConfigDef.NonEmptyString(), MEDIUM,
                        "owner of the `unallocated` bucket when the ownership registry has no `feature:unallocated` row")

                .define(STARTUP_TIMEOUT, STRING, "PT60S", new PositiveDuration(), MEDIUM,
                        "how long `run` waits for the broker (and a remote registry) to answer before it gives up")
                .define(CLOSE_TIMEOUT, STRING, "PT30S", new PositiveDuration(), MEDIUM,
                        "how long a close (on SIGTERM, or after a failure) may take to finish the open transactions")
                .define(MAX_THREAD_REPLACEMENTS, INT, 3, Range.atLeast(0), LOW,
                        "failed stream threads replaced within the window; one more shuts the client down")
                .define(THREAD_REPLACEMENT_WINDOW, STRING, "PT10M", new PositiveDuration(), LOW,
                        "the window over which thread replacements are counted")
                // Secrets: STRING rather than PASSWORD so that defaults() and the docs stay plain text; every
                // printed or logged value goes through SecretValues, which hides *token* keys.
                .define(TokenLedgerConfig.HTTP_TOKEN, STRING, "", HIGH,
                        "bearer token of the operator credential: every HTTP endpoint; empty (and no budgets token) serves "
                                + "every endpoint without authentication ([security.md](security.md#http-endpoints))")
                .define(TokenLedgerConfig.HTTP_BUDGETS_TOKEN, STRING, "", HIGH,
                        "bearer token of the gateways' read-only credential: `/budgets` and `/budgets/{scope_type}/{scope_id}` only (403 elsewhere)")
                .define(TokenLedgerConfig.HTTP_METRICS_OPEN, BOOLEAN, true, MEDIUM,
                        "serve `/metrics` without a token even when tokens are set (Prometheus scrapes on the pod network); "
                                + "false: `/metrics` needs the operator token. `/health*` never needs one")

                .define(BUDGET_PARTITIONS, INT, 6, Range.atLeast(1), HIGH,
                        "partitions of `govern-spend-by-scope-repartition` and `govern-agent-run-calls-repartition`: the parallelism of the "
                                + "budget stage. Changing it needs a reset")
                .define(BUDGET_STATUS_REFRESH, STRING, "PT5S", new PositiveDuration(), MEDIUM,
                        "how often a scope's status is re-published when only its spend moved")
                .define(BUDGET_RECONCILE_INTERVAL, STRING, "PT1S", new PositiveDuration(), LOW,
                        "how often budget edits and UTC period boundaries are checked for")
                .define(BUDGET_FORECAST_WINDOW, STRING, "PT24H", new PositiveDuration(), MEDIUM,
                        "trailing event-time window whose spend rate is projected to the end of the period")
                .define(BUDGET_CONTRIBUTORS_TRACKED, INT, 8, Range.atLeast(ALERT_TOP_CONTRIBUTORS), LOW,
                        "largest contributors kept per scope and period (alerts name the top " + ALERT_TOP_CONTRIBUTORS + ")")
                .define(CEILING_REQUEST_USD, STRING, "2.00", new UsdOrOff(), MEDIUM,
                        "a single call costing more raises `request_ceiling`; `off` disables")
                .define(CEILING_AGENT_RUN_USD, STRING, "10.00", new UsdOrOff(), MEDIUM,
                        "an agent-run session costing more raises `agent_run_ceiling`; `off` disables")
                .define(CEILING_AGENT_RUN_CALLS, STRING, "200", new CountOrOff(), MEDIUM,
                        "an agent-run session making more calls raises `agent_run_ceiling`; `off` disables")
                .define(CEILING_AGENT_RUN_INACTIVITY, STRING, "PT30M", new PositiveDuration(), MEDIUM,
                        "a gap without calls longer than this ends an agent-run session")
                .define(CEILING_ACTION, STRING, "alert", new Action(), MEDIUM,
                        "action named in ceiling alerts: `alert`, `queue`, `block` or `downgrade:MODEL`")

                .define(TASK_COMPLETION_WINDOW, STRING, "PT24H", new PositiveDuration(), HIGH,
                        "a task's calls and outcomes are those within this much event time of its other activity, in any arrival "
                                + "order; its record is first written once stream time passes its latest activity by this much; "
                                + "no outcome within it: `unknown`, no calls: `orphan_outcome`")
                .define(TASK_FINAL_RETENTION, STRING, "P7D", new PositiveDuration(), MEDIUM,
                        "how long of stream time a final task is kept after finality or its latest input, whichever is later, "
                                + "so that input still arriving is counted on its record; after that a call with its task_id starts a new task")
                .define(TASK_PARTITIONS, INT, 6, Range.atLeast(1), MEDIUM,
                        "partitions of `task-calls-by-task-repartition` and `task-outcomes-by-task-repartition`: the "
                                + "parallelism of the task stage. Changing it needs a reset")

                .define(RECONCILE_INTERVAL, STRING, "PT5S", new PositiveDuration(), MEDIUM,
                        "how often (wall clock) the reconcile stage recomputes the provider-months whose derived cost "
                                + "or invoice lines changed, and publishes the rows that changed")
                .define(RECONCILE_TOLERANCE_LINE_USD, STRING, "0.01", new NonNegativeDecimal(), MEDIUM,
                        "a reconciliation row (provider, day, model, class) is within tolerance when its variance is at "
                                + "most this many USD or at most the relative tolerance of what was invoiced")
                .define(RECONCILE_TOLERANCE_MONTH_USD, STRING, "1.00", new NonNegativeDecimal(), HIGH,
                        "a provider's month is within tolerance when its variance is at most the larger of this many USD "
                                + "and the relative tolerance of its invoiced total; beyond it, an alert on "
                                + "`llm.alerts.reconciliation.v1`")
                .define(RECONCILE_TOLERANCE_RELATIVE, STRING, "0.005", new NonNegativeDecimal(), HIGH,
                        "relative tolerance of rows and months, as a fraction of the invoiced amount (0.005 = 0.5%)");
        defineAnomalyKeys(d);
        defineHttpIngestKeys(d);
        TOPICS.forEach((logical, name) -> d.define(TOPIC_PREFIX + logical, STRING, name, new ConfigDef.NonEmptyString(), LOW,
                "name of the `" + logical + "` topic"));
        return d;
    }

    /**
     * Thresholds of the statistical anomaly rules, per kind: relative change, absolute change (in the
     * series' unit), minimum spend of the window (USD). The defaults are {@code AnomalySettings.defaults()}'s
     * (a test holds them equal); docs/anomalies.md documents each rule.
     */
    private static void defineAnomalyKeys(ConfigDef d) {
        String[][] thresholds = {
                {"unit-cost-drift", "0.20", "0.0002", "0.50", "USD per request"},
                {"spend-spike", "0.50", "1.00", "1.00", "USD an hour"},
                {"retry-storm", "1.00", "0.05", "0", "share of requests"},
                {"cache-hit-drop", "0.25", "0.10", "0.50", "share of input tokens"},
                {"token-shape-change", "0.50", "200", "0.50", "tokens per request"}};
        d.define(ANOMALY_ENABLED, BOOLEAN, true, HIGH,
                        "run the anomaly stage (`llm.alerts.anomaly.v1`); false leaves it out of the topology")
                .define(ANOMALY_GRACE_HOURS, INT, 2, Range.between(0, 24 * 62), HIGH,
                        "an hour is scored once hourly rollups this many hours of event time after it have arrived; rollups later "
                                + "than that are folded into the baselines but not scored, so raise it to the disorder of a backfill")
                .define(ANOMALY_KINDS, STRING, "unit_cost_drift,spend_spike,retry_storm,cache_hit_drop,token_shape_change,"
                        + "new_unpriced_model,coverage_drop", new ConfigDef.NonEmptyString(), MEDIUM,
                        "the detectors that run (comma-separated kinds); the others are disabled")
                .define(ANOMALY_SPEND_MIN_HISTORY_HOURS, INT, 72, Range.atLeast(1), MEDIUM,
                        "hours of history a spend series (spend_spike) needs before it may alert")
                .define(ANOMALY_RATIO_MIN_HISTORY_HOURS, INT, 24, Range.atLeast(1), MEDIUM,
                        "hours with a value a ratio series (cost per request, shares, tokens per request) needs before it may alert")
                .define(ANOMALY_MIN_SCORE, STRING, "4", new NonNegativeDecimal(), MEDIUM,
                        "robust z-score (log space, median and MAD) a window of a statistical rule must reach")
                .define(ANOMALY_COVERAGE_TARGET, STRING, "0.90", new NonNegativeDecimal(), MEDIUM,
                        "coverage_drop fires for a UTC day whose attributed share of cost is under this")
                .define(ANOMALY_PREFIX + "coverage-drop.min-spend-usd", STRING, "10.00", new NonNegativeDecimal(), LOW,
                        "a UTC day costing less is not judged by coverage_drop")
                .define(ANOMALY_PLANNED, STRING, "", MEDIUM,
                        "planned changes, comma-separated: anomaly ids, or series keys `kind|scope_type|scope_id|feature|model` "
                                + "(any onset); a matching anomaly is acknowledged when it opens and stops alerting");
        for (String[] t : thresholds) {
            String kind = ANOMALY_PREFIX + t[0];
            d.define(kind + ".relative-change", STRING, t[1], new NonNegativeDecimal(), LOW,
                            t[0] + ": minimum change against the baseline, as a share of the expected value")
                    .define(kind + ".absolute-change", STRING, t[2], new NonNegativeDecimal(), LOW,
                            t[0] + ": minimum change against the baseline, in " + t[4])
                    .define(kind + ".min-spend-usd", STRING, t[3], new NonNegativeDecimal(), LOW,
                            t[0] + ": a window costing less is not judged")
                    .define(kind + ".confirm-hours", INT, 2, Range.atLeast(1), LOW,
                            t[0] + ": consecutive anomalous hours before an anomaly opens");
        }
    }

    /** HTTP ingest on the app's HTTP port (dev.tokenledger.ingest.http; docs/ingest.md#http-ingest). */
    private static void defineHttpIngestKeys(ConfigDef d) {
        d.define(HTTP_INGEST_BEARER_TOKENS, STRING, "", HIGH,
                        "comma-separated bearer tokens; when set, `POST /v1/traces` and `POST /ingest/{format}` need "
                                + "`Authorization: Bearer TOKEN` with one of them (else 401); empty leaves ingest open")
                .define(HTTP_INGEST_MAX_BODY_BYTES, INT, 4 * 1024 * 1024, Range.atLeast(1), MEDIUM,
                        "largest request body ingest reads, before and after gzip decoding; beyond it: 413 and a `too_large` dead letter")
                .define(HTTP_INGEST_MAX_IN_FLIGHT, INT, 20_000, Range.atLeast(1), MEDIUM,
                        "records sent to the broker and not yet acknowledged at which ingest answers 429 with `Retry-After`")
                .define(HTTP_INGEST_RETRY_AFTER, STRING, "PT1S", new PositiveDuration(), LOW,
                        "the `Retry-After` of a 429 or 503 answer (whole seconds, at least 1)")
                .define(HTTP_INGEST_ACK_TIMEOUT, STRING, "PT30S", new PositiveDuration(), MEDIUM,
                        "how long a request waits for the broker to acknowledge its records before it answers 503");
    }

    /** Every declared key with its default as a string, in declaration order. */
    public static Map<String, String> defaults() {
        Map<String, String> out = new LinkedHashMap<>();
        DEF.configKeys().forEach((k, key) -> out.put(k, ConfigDef.convertToString(key.defaultValue, key.type)));
        return out;
    }

    /**
     * Checks every {@code tokenledger.*} key of {@code values} is known and every declared key's value
     * is valid; other keys are Kafka's business.
     *
     * @throws IllegalArgumentException naming the key (and for an unknown one, the nearest known key)
     */
    public static void validate(Map<String, String> values) {
        Map<String, String> declared = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (DEF.configKeys().containsKey(k)) {
                declared.put(k, v);
            } else if (k.startsWith(CEILING_FEATURE_PREFIX)) {
                validateFeatureCeiling(k, v);
            } else if (k.startsWith(PREFIX)) {
                throw new IllegalArgumentException("unknown configuration key " + k + "; did you mean " + nearest(k) + "?");
            }
        });
        try {
            DEF.parse(declared);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void validateFeatureCeiling(String key, String value) {
        String rest = key.substring(CEILING_FEATURE_PREFIX.length());
        for (Map.Entry<String, String> s : FEATURE_SUFFIXES.entrySet()) {
            if (rest.endsWith(s.getKey()) && rest.length() > s.getKey().length()) {
                try {
                    DEF.configKeys().get(s.getValue()).validator.ensureValid(key, value == null ? null : value.trim());
                } catch (ConfigException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
                return;
            }
        }
        throw new IllegalArgumentException(key + " is not " + CEILING_FEATURE_PREFIX + "<feature> followed by one of "
                + String.join(", ", FEATURE_SUFFIXES.keySet()));
    }

    /** The declared key closest to {@code key} by edit distance. */
    static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : DEF.names()) {
            int d = levenshtein(key, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** An ISO-8601 duration greater than zero: a zero or negative interval or horizon is always a mistake. */
    static final class PositiveDuration implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                Duration d = Duration.parse(String.valueOf(value));
                if (d.isNegative() || d.isZero()) {
                    throw new ConfigException(name, value, "must be a positive duration");
                }
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, value, "must be a positive ISO-8601 duration such as PT30M or P2D");
            }
        }

        @Override
        public String toString() {
            return "positive ISO-8601 duration";
        }
    }

    /** A plain non-negative USD amount with at most 12 places (what Money holds exactly), or {@code off}. */
    /** The one plain-decimal rule every reader follows ({@link PlainDecimal}), non-negative, or {@code off}. */
    static final class UsdOrOff implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && "off".equals(value.toString())) {
                return;
            }
            try {
                PlainDecimal.parseMoney(name, value == null ? null : value.toString(), false);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "must be a plain non-negative USD amount such as 2.50 (at most 12 places) or off");
            }
        }

        @Override
        public String toString() {
            return "USD amount or off";
        }
    }

    /** A plain non-negative decimal (thresholds, shares). */
    static final class NonNegativeDecimal implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !value.toString().matches("[0-9]{1,12}(\\.[0-9]{1,12})?")) {
                throw new ConfigException(name, value, "must be a plain non-negative decimal such as 0.25");
            }
        }

        @Override
        public String toString() {
            return "non-negative decimal";
        }
    }

    static final class CountOrOff implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !value.toString().matches("[0-9]{1,18}|off")) {
                throw new ConfigException(name, value, "must be a whole number or off");
            }
        }

        @Override
        public String toString() {
            return "whole number or off";
        }
    }

    static final class Action implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = String.valueOf(value);
            if (!(v.equals("alert") || v.equals("queue") || v.equals("block") || v.matches("downgrade:.+"))) {
                throw new ConfigException(name, value, "must be alert, queue, block or downgrade:MODEL");
            }
        }

        @Override
        public String toString() {
            return "alert, queue, block or downgrade:MODEL";
        }
    }
}
