package dev.tokenledger.anomaly;

import dev.tokenledger.aggregate.Granularity;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs the detectors over hourly rollups, in event time, with no Kafka: the core a topology stage
 * wraps. Feed it every hourly {@link Rollup} (a re-emitted rollup replaces the earlier value of its
 * key, as on llm.rollups.v1); it returns the {@link Anomaly} states to publish.
 *
 * <p>Hours are scored in event-time order: hour {@code H} is closed once a rollup ending
 * {@link AnomalySettings#graceHours()} hours after it has arrived (or on {@link #flush()}). Closing
 * scores each series of {@code H} against its {@link Baseline} (hours before {@code H} only), passes
 * the findings and normal windows to the {@link AnomalyTracker}, then records {@code H} into the
 * baselines, except the series it found anomalous (unless acknowledged as planned), which exclude
 * {@code H}. A rollup for an hour already closed ({@link #isClosed}) is folded into the baselines (replacing
 * that hour's values) but not scored (the topology's {@link AnomalyProcessor} then rebuilds a fresh engine
 * from its store in event-time order and publishes what changed); one older than the retained history is dropped and counted
 * ({@link #lateDropped()}). So the same rollups give the same anomalies in any arrival order in which
 * no rollup is later than the grace, and replaying a month gives what live processing gave.
 *
 * <p>Scopes of a rollup row (team, feature, customer, environment, provider, model) and what is
 * scored on each (the rules: docs/anomalies.md):
 * <ul>
 *   <li>{@code feature} F: unit_cost_drift, spend_spike, retry_storm, cache_hit_drop;</li>
 *   <li>{@code feature} F × model M: unit_cost_drift, cache_hit_drop (only while F uses more than one
 *       model, else they would repeat F's), token_shape_change;</li>
 *   <li>{@code team}, {@code customer} (when the rows carry one): spend_spike;</li>
 *   <li>{@code model} (provider/model): retry_storm, new_unpriced_model;</li>
 *   <li>{@code global} {@code *}, per UTC day when its last hour closes: coverage_drop.</li>
 * </ul>
 * The drivers of a finding compare the hour with the same reference hours its baseline used, read
 * from the retained rollups (in the topology, the hourly rollup store already holds them).
 */
public final class AnomalyEngine {

    private static final long HOUR = Baseline.HOUR_MS;
    private static final long DAY = Granularity.DAILY.sizeMs();
    private static final long NONE = Long.MIN_VALUE;
    /** The attribute stage's default bucket (its {@code Attributor.UNALLOCATED}; a test holds them equal). */
    static final String UNALLOCATED = "unallocated";

    private final AnomalySettings settings;
    private final AnomalyTracker tracker;
    /** Rollup rows by hour start, then by dimensions: the pending hours and the retained closed ones. */
    private final TreeMap<Long, Map<String, Rollup>> hours = new TreeMap<>();
    private final Map<String, Baseline> baselines = new HashMap<>();
    /** Spend scopes seen so far: an hour without their rows is an hour of zero spend, not a missing one. */
    private final TreeSet<Scope> spendScopes = new TreeSet<>();
    /** provider/model → the first hour it had a priced request (the minimum, so arrival order does not matter). */
    private final Map<String, Long> firstPricedHour = new HashMap<>();
    private long lastClosedHour = NONE;
    private long newestEndMs = NONE;
    private long lateDropped;

    /** A series' owner: scope type and id, plus feature and model where they apply. */
    record Scope(String type, String id, String feature, String model) implements Comparable<Scope> {
        String key() {
            return type + "|" + id + "|" + (feature == null ? "-" : feature) + "|" + (model == null ? "-" : model);
        }

        boolean matches(Rollup r) {
            return switch (type) {
                case "feature" -> r.getFeature().equals(id) && (model == null || model.equals(modelOf(r)));
                case "team" -> r.getTeam().equals(id);
                case "customer" -> r.getCustomerId().equals(id);
                case "model" -> model.equals(modelOf(r));
                default -> true;
            };
        }

        /**
         * Field by field (null as "-", as in {@link #key()}), without building the key: every rollup of an hour looks
         * its scopes up in sorted maps, and that concatenation was the stage's largest allocation. Any total order
         * keeps the output deterministic; this one is type, then id, feature and model.
         */
        @Override
        public int compareTo(Scope o) {
            int c = compareField(type, o.type);
            if (c == 0) c = compareField(id, o.id);
            if (c == 0) c = compareField(feature, o.feature);
            return c != 0 ? c : compareField(model, o.model);
        }

        private static int compareField(String a, String b) {
            return (a == null ? "-" : a).compareTo(b == null ? "-" : b);
        }
    }

    /** One measured value of a scope's hour. */
    private record Measure(String name, String unit, double value) {
    }

    public AnomalyEngine(AnomalySettings settings) {
        this.settings = settings;
        this.tracker = new AnomalyTracker(settings);
    }

    /** Takes one rollup (daily ones are ignored); returns the anomaly states to emit, in a deterministic order. */
    public List<Anomaly> accept(Rollup r) {
        if (!Granularity.HOURLY.label().equals(r.getGranularity())) {
            return List.of();
        }
        long hour = r.getWindowStart().toEpochMilli();
        if (lastClosedHour != NONE && hour <= lastClosedHour) {
            if (hour < oldestRetainedHour()) {
                lateDropped++;
                return List.of();
            }
            rows(hour).put(dimensions(r), r);
            recordHour(hour, profiles(hour));
            return List.of();
        }
        rows(hour).put(dimensions(r), r);
        newestEndMs = Math.max(newestEndMs, r.getWindowEnd().toEpochMilli());
        return closeUpTo(newestEndMs - settings.graceHours() * HOUR);
    }

    /** Closes every pending hour (the end of a replay); returns what that emits. */
    public List<Anomaly> flush() {
        return newestEndMs == NONE ? List.of() : closeUpTo(newestEndMs);
    }

    /** Marks an open anomaly as planned: it stops alerting (see {@link AnomalyTracker}). */
    public Optional<Anomaly> acknowledge(String anomalyId) {
        return tracker.acknowledge(anomalyId);
    }

    public List<Anomaly> openAnomalies() {
        return tracker.openAnomalies();
    }

    /**
     * Whether hour {@code hourStartMs} has been scored: a rollup for it now arrives later than the grace, and only
     * a rebuild from the rollups in event-time order scores it as in-order processing would have.
     */
    public boolean isClosed(long hourStartMs) {
        return lastClosedHour != NONE && hourStartMs <= lastClosedHour;
    }

    /** Rollups that arrived for an hour older than the retained history: not scored, not in any baseline. */
    public long lateDropped() {
        return lateDropped;
    }

    /**
     * The start of the oldest hour whose rollups the engine still needs (for baselines' drivers and
     * coverage days); {@link Long#MIN_VALUE} before the first hour closes. Rollups older than this may
     * be forgotten by whoever keeps them for the engine.
     */
    public long retainedFromMs() {
        return lastClosedHour == NONE ? NONE : oldestRetainedHour();
    }

    private List<Anomaly> closeUpTo(long watermarkMs) {
        List<Anomaly> out = new ArrayList<>();
        if (hours.isEmpty()) {
            return out;
        }
        long next = lastClosedHour == NONE ? hours.firstKey() : lastClosedHour + HOUR;
        while (next + HOUR <= watermarkMs) {
            close(next, out);
            lastClosedHour = next;
            next += HOUR;
        }
        if (lastClosedHour != NONE) {
            hours.headMap(oldestRetainedHour()).clear();
        }
        return out;
    }

    private long oldestRetainedHour() {
        // The longest baseline history, plus a day for coverage_drop's day.
        return lastClosedHour - (settings.historyHours() + 24L) * HOUR;
    }

    private void close(long hour, List<Anomaly> out) {
        Map<Scope, SortedMap<String, Usage>> profiles = profiles(hour);
        for (Scope s : profiles.keySet()) {
            if (isSpendScope(s)) {
                spendScopes.add(s);
            }
        }
        TreeSet<Scope> scopes = new TreeSet<>(profiles.keySet());
        scopes.addAll(spendScopes);
        for (Scope scope : scopes) {
            SortedMap<String, Usage> perModel = profiles.getOrDefault(scope, new TreeMap<>());
            for (AnomalyKind kind : kindsOf(scope)) {
                if (kind == AnomalyKind.NEW_UNPRICED_MODEL) {
                    scoreUnpriced(scope, hour, perModel, out);
                } else if (!repeatsItsFeature(kind, scope, profiles)) {
                    score(kind, scope, hour, perModel, out);
                }
            }
        }
        if ((hour + HOUR) % DAY == 0) {
            scoreCoverage(hour + HOUR - DAY, out);
        }
        recordHour(hour, profiles);
    }

    /**
     * A feature × model series of a feature that used only that model this hour is the feature's own
     * series: it opens nothing the feature does not (an anomaly it already has open is still scored).
     */
    private boolean repeatsItsFeature(AnomalyKind kind, Scope scope, Map<Scope, SortedMap<String, Usage>> profiles) {
        if (scope.model() == null || kind == AnomalyKind.TOKEN_SHAPE_CHANGE) {
            return false;
        }
        SortedMap<String, Usage> feature = profiles.get(new Scope(scope.type(), scope.id(), scope.feature(), null));
        return feature != null && feature.size() == 1
                && !tracker.isOpen(AnomalyTracker.key(kind, scope.type(), scope.id(), scope.feature(), scope.model()));
    }

    private void score(AnomalyKind kind, Scope scope, long hour, SortedMap<String, Usage> perModel, List<Anomaly> out) {
        AnomalySettings.Rule rule = settings.rule(kind);
        Usage usage = Drivers.total(perModel);
        String key = AnomalyTracker.key(kind, scope.type(), scope.id(), scope.feature(), scope.model());
        if (!rule.enabled() || !recordable(kind, rule, usage) || usage.totalCost().compareTo(rule.minSpendUsd()) < 0) {
            // Too little volume or spend to judge: the window neither extends nor ends an anomaly. Except spend
            // under a spike rule's minimum, which is no spike: it counts towards resolving one (a spike of a scope
            // that is mostly idle, such as a small customer, would otherwise stay open for good).
            if (rule.enabled() && kind == AnomalyKind.SPEND_SPIKE) {
                tracker.normal(key).ifPresent(out::add);
            }
            return;
        }
        boolean scored = false;
        boolean settled = true;
        Finding best = null;
        List<Measure> measures = measures(kind, usage);
        for (int i = 0; i < measures.size(); i++) {
            Baseline b = baselines.get(seriesKey(kind, i, scope));
            if (b == null) {
                continue;
            }
            Baseline.Expectation e = b.expectation(hour);
            if (!e.ready()) {
                continue;
            }
            scored = true;
            Measure m = measures.get(i);
            double expected = e.expected();
            double score = e.score(m.value());
            if (fires(rule.relaxed(), m.value(), expected, score, usage.totalCost())) {
                settled = false;
            }
            if (fires(rule, m.value(), expected, score, usage.totalCost()) && enoughEvents(kind, i, rule, usage) && (best == null || Math.abs(score) > Math.abs(best.score()))) {
                Drivers.Decomposition d = Drivers.decompose(reference(scope, e.hours()), Math.max(1, e.hours().length),
                        perModel, kind != AnomalyKind.SPEND_SPIKE && kind != AnomalyKind.RETRY_STORM);
                // A retry storm names what the retries themselves cost, the first thing to stop.
                List<Anomaly.Source> sources = kind == AnomalyKind.RETRY_STORM
                        ? List.of(new Anomaly.Source("retries", usage.retryCost())) : List.of();
                best = new Finding(kind, scope.type(), scope.id(), scope.feature(), scope.model(), hour, hour + HOUR,
                        m.value(), expected, m.unit(), m.name(), score, d, d.impact(), sources);
            }
        }
        if (best != null) {
            tracker.anomalous(best).ifPresent(out::add);
            if (!tracker.isAcknowledged(key)) {
                // An incident must not become its own baseline; recordHour then leaves these hours out.
                for (int i = 0; i < measures.size(); i++) {
                    baselines.computeIfAbsent(seriesKey(kind, i, scope), k -> new Baseline(rule.baseline())).exclude(hour);
                }
            }
        } else if (scored && settled) {
            tracker.normal(key).ifPresent(out::add);
        } else if (scored) {
            tracker.unsettled(key);
        }
    }

    /**
     * Whether the hour has enough events behind the measure to open an anomaly, against noise: a retry share or
     * error rate needs {@link AnomalySettings#MIN_RATIO_EVENTS} retries or failures (one or two retries in a quiet
     * hour are a share of 5–10% against a zero baseline), a spend spike {@code minVolume} requests (a mostly idle
     * customer's single long-context call is no spike). Only opening needs them: an open anomaly is still settled
     * by the relaxed rule alone.
     */
    static boolean enoughEvents(AnomalyKind kind, int measure, AnomalySettings.Rule rule, Usage usage) {
        return switch (kind) {
            case RETRY_STORM -> (measure == 0 ? usage.retries() : usage.failures()) >= AnomalySettings.MIN_RATIO_EVENTS;
            case SPEND_SPIKE -> usage.requests() >= rule.minVolume();
            default -> true;
        };
    }

    /** Whether the change passes every threshold of the rule (see {@link AnomalySettings.Rule}). */
    static boolean fires(AnomalySettings.Rule rule, double value, double expected, double score, BigDecimal windowCost) {
        if (windowCost.compareTo(rule.minSpendUsd()) < 0) {
            return false;
        }
        double delta = value - expected;
        boolean direction = switch (rule.direction()) {
            case UP -> delta > 0 && score >= rule.minScore();
            case DOWN -> delta < 0 && score <= -rule.minScore();
            case BOTH -> delta != 0 && Math.abs(score) >= rule.minScore();
        };
        boolean relative = expected > 0 ? Math.abs(delta) / expected >= rule.minRelativeChange() : delta > 0;
        return direction && relative && Math.abs(delta) >= rule.minAbsoluteChange();
    }

    private void scoreUnpriced(Scope scope, long hour, SortedMap<String, Usage> perModel, List<Anomaly> out) {
        AnomalySettings.Rule rule = settings.rule(AnomalyKind.NEW_UNPRICED_MODEL);
        Usage usage = Drivers.total(perModel);
        if (!rule.enabled() || usage.requests() == 0) {
            return;
        }
        Long firstPriced = firstPricedHour.get(scope.model());
        boolean neverPriced = (firstPriced == null || firstPriced > hour) && usage.pricedRequests() == 0;
        String key = AnomalyTracker.key(AnomalyKind.NEW_UNPRICED_MODEL, scope.type(), scope.id(), scope.feature(), scope.model());
        if (neverPriced && usage.unpricedRequests() >= Math.max(1, rule.minVolume())) {
            tracker.anomalous(new Finding(AnomalyKind.NEW_UNPRICED_MODEL, scope.type(), scope.id(), null, scope.model(),
                    hour, hour + HOUR, usage.unpricedRequests(), 0, "unpriced_requests", "unpriced requests", Double.NaN,
                    null, Money.ZERO.toBigDecimal(), topFeatures(hour, scope))).ifPresent(out::add);
        } else {
            tracker.normal(key).ifPresent(out::add);
        }
    }

    private void scoreCoverage(long dayStart, List<Anomaly> out) {
        AnomalySettings.Rule rule = settings.rule(AnomalyKind.COVERAGE_DROP);
        if (!rule.enabled()) {
            return;
        }
        BigDecimal total = Money.ZERO.toBigDecimal();
        BigDecimal untagged = Money.ZERO.toBigDecimal();
        Map<String, BigDecimal> bySource = new TreeMap<>();
        for (Map<String, Rollup> rows : hours.subMap(dayStart, dayStart + DAY).values()) {
            for (Rollup r : rows.values()) {
                BigDecimal cost = r.getCost().getTotal();
                total = total.add(cost);
                if (isUntagged(r)) {
                    untagged = untagged.add(cost);
                    bySource.merge(sourceName(r), cost, BigDecimal::add);
                }
            }
        }
        if (total.compareTo(rule.minSpendUsd()) < 0) {
            return;
        }
        BigDecimal target = settings.coverageTarget();
        BigDecimal attributed = total.subtract(untagged);
        String key = AnomalyTracker.key(AnomalyKind.COVERAGE_DROP, "global", "*", null, null);
        if (attributed.compareTo(target.multiply(total)) >= 0) {
            tracker.normal(key).ifPresent(out::add);
            return;
        }
        // Impact: the untagged cost above what the target allows, rounded once to money scale.
        BigDecimal allowed = BigDecimal.ONE.subtract(target).multiply(total).setScale(Money.SCALE, Money.ROUNDING);
        List<Anomaly.Source> sources = bySource.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(settings.topSources())
                .map(e -> new Anomaly.Source(e.getKey(), e.getValue()))
                .toList();
        double share = attributed.doubleValue() / total.doubleValue();
        tracker.anomalous(new Finding(AnomalyKind.COVERAGE_DROP, "global", "*", null, null, dayStart, dayStart + DAY,
                share, target.doubleValue(), "attributed_share", "attribution coverage", Double.NaN, null,
                untagged.subtract(allowed), sources)).ifPresent(out::add);
    }

    /** Untagged: the attribute stage's default bucket, whose team and feature are both {@code unallocated}. */
    static boolean isUntagged(Rollup r) {
        return UNALLOCATED.equals(r.getFeature()) || UNALLOCATED.equals(r.getTeam());
    }

    private static String sourceName(Rollup r) {
        return "customer " + r.getCustomerId() + " / " + r.getEnvironment() + " / " + r.getModel();
    }

    private List<Anomaly.Source> topFeatures(long hour, Scope scope) {
        Map<String, Long> byFeature = new TreeMap<>();
        for (Rollup r : rows(hour).values()) {
            if (scope.matches(r)) {
                byFeature.merge(r.getFeature(), r.getUnpricedRequests(), Long::sum);
            }
        }
        return byFeature.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(settings.topSources())
                .map(e -> new Anomaly.Source("feature " + e.getKey(), Money.ZERO.toBigDecimal()))
                .toList();
    }

    private void recordHour(long hour, Map<Scope, SortedMap<String, Usage>> profiles) {
        TreeSet<Scope> scopes = new TreeSet<>(profiles.keySet());
        for (Scope s : profiles.keySet()) {
            if (isSpendScope(s)) {
                spendScopes.add(s);
            }
        }
        scopes.addAll(spendScopes);
        for (Scope scope : scopes) {
            Usage usage = Drivers.total(profiles.getOrDefault(scope, new TreeMap<>()));
            for (AnomalyKind kind : kindsOf(scope)) {
                AnomalySettings.Rule rule = settings.rule(kind);
                if (kind == AnomalyKind.NEW_UNPRICED_MODEL) {
                    if (usage.pricedRequests() > 0) {
                        firstPricedHour.merge(scope.model(), hour, Math::min);
                    }
                    continue;
                }
                if (!rule.enabled() || !recordable(kind, rule, usage)) {
                    continue;
                }
                List<Measure> measures = measures(kind, usage);
                for (int i = 0; i < measures.size(); i++) {
                    baselines.computeIfAbsent(seriesKey(kind, i, scope), k -> new Baseline(rule.baseline()))
                            .record(hour, measures.get(i).value());
                }
            }
        }
    }

    /** Spend is recorded every hour (zero when idle); a ratio only when the hour has the rule's volume. */
    private static boolean recordable(AnomalyKind kind, AnomalySettings.Rule rule, Usage usage) {
        return switch (kind) {
            case SPEND_SPIKE -> true;
            case CACHE_HIT_DROP -> usage.requests() >= rule.minVolume() && usage.inputTokens() > 0;
            default -> usage.requests() >= rule.minVolume() && usage.requests() > 0;
        };
    }

    private static List<Measure> measures(AnomalyKind kind, Usage u) {
        return switch (kind) {
            case UNIT_COST_DRIFT -> List.of(new Measure("cost per request", "usd_per_request", u.costPerRequest()));
            case SPEND_SPIKE -> List.of(new Measure("spend", "usd", u.totalCost().doubleValue()));
            case RETRY_STORM -> List.of(new Measure("retry share", "retry_share", u.retryShare()),
                    new Measure("error rate", "error_rate", u.errorRate()));
            case CACHE_HIT_DROP -> List.of(new Measure("cache-read share of input tokens", "cache_read_share", u.cacheReadShare()));
            case TOKEN_SHAPE_CHANGE -> List.of(
                    new Measure("input tokens per request", "input_tokens_per_request", u.inputTokensPerRequest()),
                    new Measure("output tokens per request", "output_tokens_per_request", u.outputTokensPerRequest()));
            default -> List.of();
        };
    }

    private static List<AnomalyKind> kindsOf(Scope s) {
        return switch (s.type()) {
            case "feature" -> s.model() == null
                    ? List.of(AnomalyKind.UNIT_COST_DRIFT, AnomalyKind.SPEND_SPIKE, AnomalyKind.RETRY_STORM, AnomalyKind.CACHE_HIT_DROP)
                    : List.of(AnomalyKind.UNIT_COST_DRIFT, AnomalyKind.CACHE_HIT_DROP, AnomalyKind.TOKEN_SHAPE_CHANGE);
            case "team", "customer" -> List.of(AnomalyKind.SPEND_SPIKE);
            case "model" -> List.of(AnomalyKind.RETRY_STORM, AnomalyKind.NEW_UNPRICED_MODEL);
            default -> List.of();
        };
    }

    private static boolean isSpendScope(Scope s) {
        return s.model() == null && !s.type().equals("model");
    }

    /** The scope's usage per model, summed over the reference hours. */
    private SortedMap<String, Usage> reference(Scope scope, long[] referenceHours) {
        SortedMap<String, Usage> sum = new TreeMap<>();
        for (long h : referenceHours) {
            Map<String, Rollup> rows = hours.get(h);
            if (rows == null) {
                continue;
            }
            for (Rollup r : rows.values()) {
                if (scope.matches(r)) {
                    sum.merge(modelOf(r), Usage.of(r), Usage::plus);
                }
            }
        }
        return sum;
    }

    /** Every scope of the hour with its usage per model. */
    private Map<Scope, SortedMap<String, Usage>> profiles(long hour) {
        Map<Scope, SortedMap<String, Usage>> out = new TreeMap<>();
        for (Rollup r : rows(hour).values()) {
            String model = modelOf(r);
            Usage u = Usage.of(r);
            for (Scope s : scopesOf(r)) {
                out.computeIfAbsent(s, k -> new TreeMap<>()).merge(model, u, Usage::plus);
            }
        }
        return out;
    }

    private static List<Scope> scopesOf(Rollup r) {
        String model = modelOf(r);
        List<Scope> scopes = new ArrayList<>(5);
        scopes.add(new Scope("feature", r.getFeature(), r.getFeature(), null));
        scopes.add(new Scope("feature", r.getFeature(), r.getFeature(), model));
        scopes.add(new Scope("team", r.getTeam(), null, null));
        if (!"-".equals(r.getCustomerId())) {
            scopes.add(new Scope("customer", r.getCustomerId(), null, null));
        }
        scopes.add(new Scope("model", model, null, model));
        return scopes;
    }

    static String modelOf(Rollup r) {
        return r.getProvider() + "/" + r.getModel();
    }

    private static String seriesKey(AnomalyKind kind, int measure, Scope scope) {
        return kind.id() + "#" + measure + "|" + scope.key();
    }

    private Map<String, Rollup> rows(long hour) {
        return hours.computeIfAbsent(hour, h -> new HashMap<>());
    }

    private static String dimensions(Rollup r) {
        return String.join("\u001f", r.getTeam(), r.getFeature(), r.getCustomerId(), r.getEnvironment(),
                r.getProvider(), r.getModel());
    }
}
