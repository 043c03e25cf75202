package dev.tokenledger.anomaly;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The lifecycle of anomalies, one per series key ({@code kind|scope_type|scope_id|feature|model}):
 * <ul>
 *   <li>an anomalous window starts a <b>candidate</b>, emitted only once
 *       {@link AnomalySettings.Rule#confirmWindows()} consecutive scored windows are anomalous: then it
 *       <b>opens</b> (emitted, state {@code open}) with its onset at the first of them and their impact, and an id
 *       fixed by its key and onset, so a replay emits the same ids; a normal or unsettled window before that
 *       drops the candidate silently (one hour of a noisy series is not an incident);</li>
 *   <li>further anomalous windows <b>update</b> it, never raise another: its impact and drivers
 *       accumulate (each window's drivers sum to its impact, so the sums do too); an update is
 *       emitted when the severity rises or {@link AnomalySettings#updateEveryHours()} after the last emission;</li>
 *   <li>{@link AnomalySettings.Rule#resolveAfterNormal()} consecutive normal windows <b>resolve</b>
 *       it (emitted, {@code resolved}); normal means even the {@link AnomalySettings.Rule#relaxed()
 *       relaxed} rule does not fire, and a window in between restarts the count ({@link #unsettled});
 *       windows a rule cannot score (too little volume) neither extend nor end it. The engine keeps
 *       anomalous windows out of the baseline, so a lasting change stays open, updated, until the
 *       series returns or the change is acknowledged;</li>
 *   <li>{@link #acknowledge} marks it as planned ({@code acknowledged}, emitted once): it keeps
 *       being tracked but emits nothing more until it resolves, and its windows enter the baseline
 *       again, so the new level becomes the expected one and the anomaly resolves quietly: that is
 *       how a planned change stops alerting for good.</li>
 * </ul>
 * Severity: {@code high} from {@link AnomalySettings#highImpactUsd()} of cumulative |impact|,
 * {@code medium} from {@link AnomalySettings#mediumImpactUsd()}, else {@code low}; a new unpriced
 * model, whose cost is unknown, is {@code medium}.
 */
public final class AnomalyTracker {

    private final AnomalySettings settings;
    private final Map<String, Tracked> open = new TreeMap<>();

    private static final class Tracked {
        final String id;
        final long onsetStartMs;
        long detectedAtMs;
        /** Anomalous windows so far; the anomaly is emitted (confirmed) once they reach the rule's confirmWindows. */
        int windows = 1;
        Finding latest;
        Drivers.Decomposition drivers;
        BigDecimal impact;
        int normalStreak;
        boolean acknowledged;
        String severity;
        long lastEmittedEndMs;

        Tracked(String id, Finding f) {
            this.id = id;
            this.onsetStartMs = f.windowStartMs();
            this.detectedAtMs = f.windowEndMs();
            this.latest = f;
            this.drivers = f.decomposition();
            this.impact = f.impactUsd();
        }
    }

    public AnomalyTracker(AnomalySettings settings) {
        this.settings = settings;
    }

    public static String key(AnomalyKind kind, String scopeType, String scopeId, String feature, String model) {
        return kind.id() + "|" + scopeType + "|" + scopeId + "|" + orNone(feature) + "|" + orNone(model);
    }

    /** An anomalous window: opens or updates the anomaly of its key; returns what to emit. */
    public Optional<Anomaly> anomalous(Finding f) {
        Tracked t = open.get(f.key());
        int confirm = settings.rule(f.kind()).confirmWindows();
        if (t == null) {
            t = new Tracked(f.key() + "|" + Instant.ofEpochMilli(f.windowStartMs()), f);
            open.put(f.key(), t);
            t.severity = severity(t);
            return confirmed(t) ? Optional.of(emit(t, Anomaly.OPEN)) : Optional.empty();
        }
        t.latest = f;
        t.normalStreak = 0;
        t.impact = t.impact.add(f.impactUsd());
        if (f.decomposition() != null) {
            t.drivers = t.drivers == null ? f.decomposition() : t.drivers.plus(f.decomposition());
        }
        if (!confirmed(t)) {
            t.windows++;
            if (!confirmed(t)) {
                return Optional.empty();
            }
            t.detectedAtMs = f.windowEndMs();
            t.severity = severity(t);
            return Optional.of(emit(t, Anomaly.OPEN));
        }
        String severity = severity(t);
        boolean rose = rank(severity) > rank(t.severity);
        t.severity = severity;
        long due = t.lastEmittedEndMs + settings.updateEveryHours() * Baseline.HOUR_MS;
        if (t.acknowledged || (!rose && f.windowEndMs() < due)) {
            return Optional.empty();
        }
        return Optional.of(emit(t, Anomaly.UPDATED));
    }

    /** A normal window of the series {@code key}: may resolve its open anomaly. */
    public Optional<Anomaly> normal(String key) {
        Tracked t = open.get(key);
        if (t == null) {
            return Optional.empty();
        }
        if (!confirmed(t)) {
            open.remove(key);
            return Optional.empty();
        }
        t.normalStreak++;
        if (t.normalStreak < settings.rule(t.latest.kind()).resolveAfterNormal()) {
            return Optional.empty();
        }
        open.remove(key);
        return Optional.of(emit(t, Anomaly.RESOLVED));
    }

    /** A window of {@code key} that is not anomalous but not clearly normal either: the count towards resolving restarts. */
    public void unsettled(String key) {
        Tracked t = open.get(key);
        if (t != null && !confirmed(t)) {
            open.remove(key);
        } else if (t != null) {
            t.normalStreak = 0;
        }
    }

    /** Whether the series {@code key} has an open anomaly acknowledged as planned. */
    public boolean isAcknowledged(String key) {
        Tracked t = open.get(key);
        return t != null && t.acknowledged;
    }

    /** Marks the open anomaly {@code anomalyId} as planned; empty when no such anomaly is open. */
    public Optional<Anomaly> acknowledge(String anomalyId) {
        for (Tracked t : open.values()) {
            if (t.id.equals(anomalyId) && confirmed(t) && !t.acknowledged) {
                t.acknowledged = true;
                return Optional.of(emit(t, Anomaly.ACKNOWLEDGED));
            }
        }
        return Optional.empty();
    }

    /** The current state of every open anomaly, by key. */
    public List<Anomaly> openAnomalies() {
        List<Anomaly> out = new ArrayList<>();
        for (Tracked t : open.values()) {
            if (confirmed(t)) {
                out.add(build(t, t.acknowledged ? Anomaly.ACKNOWLEDGED : Anomaly.OPEN));
            }
        }
        return out;
    }

    /** Whether the series {@code key} has an anomaly open or a candidate for one. */
    public boolean isOpen(String key) {
        return open.containsKey(key);
    }

    private boolean confirmed(Tracked t) {
        return t.windows >= settings.rule(t.latest.kind()).confirmWindows();
    }

    private Anomaly emit(Tracked t, String state) {
        t.lastEmittedEndMs = t.latest.windowEndMs();
        return build(t, state);
    }

    private Anomaly build(Tracked t, String state) {
        Finding f = t.latest;
        return new Anomaly(t.id, f.kind(), state, f.scopeType(), f.scopeId(), f.feature(), f.model(),
                Instant.ofEpochMilli(t.onsetStartMs), Instant.ofEpochMilli(f.windowEndMs()), Instant.ofEpochMilli(t.detectedAtMs),
                f.actual(), f.expected(), f.unit(), t.impact, f.score(), t.severity,
                Explanations.drivers(t.drivers), f.sources(),
                Explanations.line(f, t.onsetStartMs, t.drivers, t.impact));
    }

    private String severity(Tracked t) {
        if (t.latest.kind() == AnomalyKind.NEW_UNPRICED_MODEL) {
            return "medium";
        }
        BigDecimal size = t.impact.abs();
        return size.compareTo(settings.highImpactUsd()) >= 0 ? "high"
                : size.compareTo(settings.mediumImpactUsd()) >= 0 ? "medium" : "low";
    }

    private static int rank(String severity) {
        return switch (severity) {
            case "high" -> 2;
            case "medium" -> 1;
            default -> 0;
        };
    }

    private static String orNone(String s) {
        return s == null ? "-" : s;
    }
}
