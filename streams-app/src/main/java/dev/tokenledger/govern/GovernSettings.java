package dev.tokenledger.govern;

import dev.tokenledger.config.ConfigRegistry;
import dev.tokenledger.config.TokenLedgerConfig;
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
 * switches a ceiling off. Keys, defaults and validation are declared in {@link ConfigRegistry}, so a
 * misspelt key is an error, not a silent default.
 */
public final class GovernSettings {

    public static final String PARTITIONS = TokenLedgerConfig.BUDGET_PARTITIONS;
    public static final String STATUS_REFRESH = TokenLedgerConfig.BUDGET_STATUS_REFRESH;
    public static final String RECONCILE_INTERVAL = TokenLedgerConfig.BUDGET_RECONCILE_INTERVAL;
    public static final String FORECAST_WINDOW = TokenLedgerConfig.BUDGET_FORECAST_WINDOW;
    public static final String CONTRIBUTORS_TRACKED = TokenLedgerConfig.BUDGET_CONTRIBUTORS_TRACKED;
    public static final String REQUEST_USD = TokenLedgerConfig.CEILING_REQUEST_USD;
    public static final String AGENT_RUN_USD = TokenLedgerConfig.CEILING_AGENT_RUN_USD;
    public static final String AGENT_RUN_CALLS = TokenLedgerConfig.CEILING_AGENT_RUN_CALLS;
    public static final String AGENT_RUN_INACTIVITY = TokenLedgerConfig.CEILING_AGENT_RUN_INACTIVITY;
    public static final String CEILING_ACTION = TokenLedgerConfig.CEILING_ACTION;
    public static final String FEATURE_PREFIX = TokenLedgerConfig.CEILING_FEATURE_PREFIX;

    private static final String OFF = "off";

    /** Defaults of the govern keys, as declared in {@link ConfigRegistry}. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final int partitions;
    private final Duration statusRefresh;
    private final Duration reconcileInterval;
    private final Duration forecastWindow;
    private final int contributorsTracked;
    private final Duration agentRunInactivity;
    private final CeilingLimits globalCeilings;
    private final Map<String, CeilingLimits> featureCeilings;

    private GovernSettings(TokenLedgerConfig c) {
        partitions = c.integer(PARTITIONS);
        statusRefresh = c.duration(STATUS_REFRESH);
        reconcileInterval = c.duration(RECONCILE_INTERVAL);
        forecastWindow = c.duration(FORECAST_WINDOW);
        contributorsTracked = c.integer(CONTRIBUTORS_TRACKED);
        agentRunInactivity = c.duration(AGENT_RUN_INACTIVITY);
        globalCeilings = new CeilingLimits(usd(c.get(REQUEST_USD)), usd(c.get(AGENT_RUN_USD)),
                calls(c.get(AGENT_RUN_CALLS)), c.get(CEILING_ACTION));
        featureCeilings = featureCeilings(c.asMap(), globalCeilings);
    }

    private static boolean isGovernKey(String key) {
        return key.startsWith("tokenledger.budget.") || key.startsWith("tokenledger.ceiling.");
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        ConfigRegistry.defaults().forEach((k, v) -> {
            if (isGovernKey(k)) {
                d.put(k, v);
            }
        });
        return Map.copyOf(d);
    }

    /** From a flat configuration map; keys outside the govern prefixes are ignored. */
    public static GovernSettings from(Map<String, String> config) {
        Map<String, String> govern = new HashMap<>();
        config.forEach((k, v) -> {
            if (isGovernKey(k)) {
                govern.put(k, v);
            }
        });
        // Validated (unknown keys, malformed values) and defaulted by the registry.
        return new GovernSettings(TokenLedgerConfig.of(govern));
    }

    public static GovernSettings defaultSettings() {
        return from(Map.of());
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

    /** Keys were validated by the registry: a feature key is the prefix, a feature, then one suffix. */
    private static Map<String, CeilingLimits> featureCeilings(Map<String, String> v, CeilingLimits global) {
        Map<String, Map<String, String>> byFeature = new HashMap<>();
        v.forEach((key, value) -> {
            if (key.startsWith(FEATURE_PREFIX)) {
                String rest = key.substring(FEATURE_PREFIX.length());
                String suffix = ConfigRegistry.FEATURE_SUFFIXES.keySet().stream()
                        .filter(s -> rest.endsWith(s) && rest.length() > s.length()).findFirst().orElseThrow();
                String feature = rest.substring(0, rest.length() - suffix.length());
                byFeature.computeIfAbsent(feature, f -> new HashMap<>()).put(suffix, value.trim());
            }
        });
        Map<String, CeilingLimits> out = new HashMap<>();
        byFeature.forEach((feature, s) -> out.put(feature, new CeilingLimits(
                s.containsKey(".request-usd") ? usd(s.get(".request-usd")) : global.requestUsd(),
                s.containsKey(".agent-run-usd") ? usd(s.get(".agent-run-usd")) : global.agentRunUsd(),
                s.containsKey(".agent-run-calls") ? calls(s.get(".agent-run-calls")) : global.agentRunCalls(),
                s.getOrDefault(".action", global.action()))));
        return Map.copyOf(out);
    }

    private static BigDecimal usd(String value) {
        return OFF.equals(value) ? null : Money.parse(value).toBigDecimal();
    }

    private static Long calls(String value) {
        return OFF.equals(value) ? null : Long.parseLong(value);
    }
}
