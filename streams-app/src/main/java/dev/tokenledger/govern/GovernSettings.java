package dev.tokenledger.govern;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The govern stage's configuration, read from {@code tokenledger.budget.*} and
 * {@code tokenledger.ceiling.*} keys with the defaults below. Ceilings can be set per feature:
 * {@code tokenledger.ceiling.feature.<feature>.request-usd} (and {@code agent-run-usd},
 * {@code agent-run-calls}, {@code action}); a feature key overrides the global one, {@code off}
 * switches a ceiling off. A misspelt key under the govern prefixes is an error, not a silent default.
 */
public final class GovernSettings {

    public static final String PARTITIONS = "tokenledger.budget.partitions";
    public static final String STATUS_REFRESH = "tokenledger.budget.status-refresh";
    public static final String RECONCILE_INTERVAL = "tokenledger.budget.reconcile-interval";
    public static final String FORECAST_WINDOW = "tokenledger.budget.forecast-window";
    public static final String CONTRIBUTORS_TRACKED = "tokenledger.budget.contributors-tracked";
    public static final String REQUEST_USD = "tokenledger.ceiling.request-usd";
    public static final String AGENT_RUN_USD = "tokenledger.ceiling.agent-run-usd";
    public static final String AGENT_RUN_CALLS = "tokenledger.ceiling.agent-run-calls";
    public static final String AGENT_RUN_INACTIVITY = "tokenledger.ceiling.agent-run-inactivity";
    public static final String CEILING_ACTION = "tokenledger.ceiling.action";
    public static final String FEATURE_PREFIX = "tokenledger.ceiling.feature.";

    private static final String OFF = "off";
    private static final String[] FEATURE_SUFFIXES = {".request-usd", ".agent-run-usd", ".agent-run-calls", ".action"};

    /** Defaults: spend refreshes every 5 s, state changes at once; ceilings sized for interactive use. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final int partitions;
    private final Duration statusRefresh;
    private final Duration reconcileInterval;
    private final Duration forecastWindow;
    private final int contributorsTracked;
    private final Duration agentRunInactivity;
    private final CeilingLimits globalCeilings;
    private final Map<String, CeilingLimits> featureCeilings;

    private GovernSettings(Map<String, String> values) {
        Map<String, String> v = new HashMap<>(DEFAULTS);
        values.forEach((k, val) -> {
            if (k.startsWith("tokenledger.budget.") || k.startsWith("tokenledger.ceiling.")) {
                v.put(k, val.trim());
            }
        });
        partitions = (int) count(PARTITIONS, v.get(PARTITIONS));
        if (partitions < 1) {
            throw new IllegalArgumentException(PARTITIONS + " must be at least 1");
        }
        statusRefresh = positive(v, STATUS_REFRESH);
        reconcileInterval = positive(v, RECONCILE_INTERVAL);
        forecastWindow = positive(v, FORECAST_WINDOW);
        contributorsTracked = (int) count(CONTRIBUTORS_TRACKED, v.get(CONTRIBUTORS_TRACKED));
        if (contributorsTracked < Alerts.TOP_CONTRIBUTORS) {
            throw new IllegalArgumentException(CONTRIBUTORS_TRACKED + " must be at least " + Alerts.TOP_CONTRIBUTORS);
        }
        agentRunInactivity = positive(v, AGENT_RUN_INACTIVITY);
        globalCeilings = new CeilingLimits(usd(REQUEST_USD, v.get(REQUEST_USD)), usd(AGENT_RUN_USD, v.get(AGENT_RUN_USD)),
                calls(AGENT_RUN_CALLS, v.get(AGENT_RUN_CALLS)), action(CEILING_ACTION, v.get(CEILING_ACTION)));
        featureCeilings = featureCeilings(v, globalCeilings);
        for (String key : v.keySet()) {
            if (!DEFAULTS.containsKey(key) && !key.startsWith(FEATURE_PREFIX)) {
                throw new IllegalArgumentException("unknown configuration key " + key + "; known: " + DEFAULTS.keySet());
            }
        }
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(PARTITIONS, "6");
        d.put(STATUS_REFRESH, "PT5S");
        d.put(RECONCILE_INTERVAL, "PT1S");
        d.put(FORECAST_WINDOW, "PT24H");
        d.put(CONTRIBUTORS_TRACKED, "8");
        d.put(REQUEST_USD, "2.00");
        d.put(AGENT_RUN_USD, "10.00");
        d.put(AGENT_RUN_CALLS, "200");
        d.put(AGENT_RUN_INACTIVITY, "PT30M");
        d.put(CEILING_ACTION, "alert");
        return Map.copyOf(d);
    }

    /** From a flat configuration map; keys outside the govern prefixes are ignored. */
    public static GovernSettings from(Map<String, String> config) {
        return new GovernSettings(config);
    }

    public static GovernSettings defaultSettings() {
        return new GovernSettings(Map.of());
    }

    /**
     * Partitions of the govern-spend-by-scope repartition topic: fixed, because the fan-out groups a
     * call's scopes by partition before sending (and so bounds the stage's parallelism).
     */
    public int partitions() {
        return partitions;
    }

    /** How often a scope's status is re-emitted when only its spend moved. */
    public Duration statusRefresh() {
        return statusRefresh;
    }

    /** How often budget edits and period boundaries are checked for. */
    public Duration reconcileInterval() {
        return reconcileInterval;
    }

    /** The trailing window of event time whose spend rate is projected to the end of either period. */
    public Duration forecastWindow() {
        return forecastWindow;
    }

    public int contributorsTracked() {
        return contributorsTracked;
    }

    /** A gap between an agent run's calls longer than this starts a new session. */
    public Duration agentRunInactivity() {
        return agentRunInactivity;
    }

    public CeilingLimits ceilings(String feature) {
        return featureCeilings.getOrDefault(feature, globalCeilings);
    }

    private static Map<String, CeilingLimits> featureCeilings(Map<String, String> v, CeilingLimits global) {
        Map<String, Map<String, String>> byFeature = new HashMap<>();
        for (Map.Entry<String, String> e : v.entrySet()) {
            if (!e.getKey().startsWith(FEATURE_PREFIX)) {
                continue;
            }
            String rest = e.getKey().substring(FEATURE_PREFIX.length());
            String suffix = null;
            for (String s : FEATURE_SUFFIXES) {
                if (rest.endsWith(s) && rest.length() > s.length()) {
                    suffix = s;
                }
            }
            if (suffix == null) {
                throw new IllegalArgumentException(e.getKey() + " is not " + FEATURE_PREFIX + "<feature> followed by one of "
                        + String.join(", ", FEATURE_SUFFIXES));
            }
            String feature = rest.substring(0, rest.length() - suffix.length());
            byFeature.computeIfAbsent(feature, f -> new HashMap<>()).put(suffix, e.getKey());
        }
        Map<String, CeilingLimits> out = new HashMap<>();
        byFeature.forEach((feature, keys) -> out.put(feature, new CeilingLimits(
                keys.containsKey(".request-usd") ? usd(keys.get(".request-usd"), v.get(keys.get(".request-usd"))) : global.requestUsd(),
                keys.containsKey(".agent-run-usd") ? usd(keys.get(".agent-run-usd"), v.get(keys.get(".agent-run-usd"))) : global.agentRunUsd(),
                keys.containsKey(".agent-run-calls") ? calls(keys.get(".agent-run-calls"), v.get(keys.get(".agent-run-calls"))) : global.agentRunCalls(),
                keys.containsKey(".action") ? action(keys.get(".action"), v.get(keys.get(".action"))) : global.action())));
        return Map.copyOf(out);
    }

    private static Duration positive(Map<String, String> v, String key) {
        Duration d;
        try {
            d = Duration.parse(v.get(key));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT30M, got " + v.get(key), e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
        return d;
    }

    private static BigDecimal usd(String key, String value) {
        if (OFF.equals(value)) {
            return null;
        }
        if (value.matches("[0-9]{1,26}(\\.[0-9]{1,12})?")) {
            return Money.parse(value).toBigDecimal();
        }
        throw new IllegalArgumentException(key + " must be a plain non-negative USD amount such as 2.50 (at most 12 places) or off, got " + value);
    }

    private static Long calls(String key, String value) {
        return OFF.equals(value) ? null : count(key, value);
    }

    private static long count(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + value, e);
        }
    }

    private static String action(String key, String value) {
        if (value.equals("alert") || value.equals("queue") || value.equals("block")
                || (value.startsWith("downgrade:") && value.length() > "downgrade:".length())) {
            return value;
        }
        throw new IllegalArgumentException(key + " must be alert, queue, block or downgrade:MODEL, got " + value);
    }
}
