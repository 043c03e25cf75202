package dev.tokenledger.anomaly;

import dev.tokenledger.config.ConfigRegistry;
import dev.tokenledger.config.TokenLedgerConfig;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The anomaly stage's configuration, read from the {@code tokenledger.anomaly.*} keys declared in
 * {@link ConfigRegistry}: whether the stage runs, the {@link AnomalySettings} the engine gets, and the
 * planned changes. Every rule not named by a key keeps {@link AnomalySettings#defaults()}'s values.
 *
 * @param planned entries of {@code tokenledger.anomaly.planned}: an anomaly id, or a series key
 *                ({@code kind|scope_type|scope_id|feature|model}) that matches that series' anomalies of any onset
 */
public record AnomalyConfig(boolean enabled, AnomalySettings settings, List<String> planned) {

    /** The kinds whose thresholds have keys, with the key segment of each ({@code unit-cost-drift}, …). */
    static final List<AnomalyKind> STATISTICAL = List.of(AnomalyKind.UNIT_COST_DRIFT, AnomalyKind.SPEND_SPIKE,
            AnomalyKind.RETRY_STORM, AnomalyKind.CACHE_HIT_DROP, AnomalyKind.TOKEN_SHAPE_CHANGE);

    public static AnomalyConfig from(TokenLedgerConfig c) {
        AnomalySettings defaults = AnomalySettings.defaults();
        AnomalySettings s = defaults.withGraceHours(c.integer(TokenLedgerConfig.ANOMALY_GRACE_HOURS));
        Set<String> kinds = Arrays.stream(c.get(TokenLedgerConfig.ANOMALY_KINDS).split(","))
                .map(String::trim).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
        for (String k : kinds) {
            if (Arrays.stream(AnomalyKind.values()).noneMatch(kind -> kind.id().equals(k))) {
                throw new IllegalArgumentException(TokenLedgerConfig.ANOMALY_KINDS + ": unknown kind " + k);
            }
        }
        double minScore = Double.parseDouble(c.get(TokenLedgerConfig.ANOMALY_MIN_SCORE));
        int spendHistory = c.integer(TokenLedgerConfig.ANOMALY_SPEND_MIN_HISTORY_HOURS);
        int ratioHistory = c.integer(TokenLedgerConfig.ANOMALY_RATIO_MIN_HISTORY_HOURS);
        for (AnomalyKind kind : AnomalyKind.values()) {
            AnomalySettings.Rule r = s.rule(kind);
            double score = r.minScore();
            double relative = r.minRelativeChange();
            double absolute = r.minAbsoluteChange();
            BigDecimal minSpend = r.minSpendUsd();
            Baseline.Settings b = r.baseline();
            int confirm = r.confirmWindows();
            if (STATISTICAL.contains(kind)) {
                String prefix = TokenLedgerConfig.ANOMALY_PREFIX + segment(kind);
                score = minScore;
                relative = Double.parseDouble(c.get(prefix + ".relative-change"));
                absolute = Double.parseDouble(c.get(prefix + ".absolute-change"));
                minSpend = new BigDecimal(c.get(prefix + ".min-spend-usd"));
                confirm = c.integer(prefix + ".confirm-hours");
                int history = kind == AnomalyKind.SPEND_SPIKE ? spendHistory : ratioHistory;
                b = new Baseline.Settings(Math.max(b.historyHours(), history), history, b.minHourOfWeekSamples(),
                        b.minHourOfDaySamples(), b.seasonal(), b.logOffset(), b.minSigma());
            } else if (kind == AnomalyKind.COVERAGE_DROP) {
                minSpend = new BigDecimal(c.get(TokenLedgerConfig.ANOMALY_PREFIX + "coverage-drop.min-spend-usd"));
            }
            s = s.with(kind, new AnomalySettings.Rule(kinds.contains(kind.id()), r.direction(), score, relative, absolute,
                    minSpend, r.minVolume(), r.resolveAfterNormal(), b, confirm));
        }
        s = new AnomalySettings(s.rules(), s.graceHours(), s.updateEveryHours(), s.mediumImpactUsd(), s.highImpactUsd(),
                new BigDecimal(c.get(TokenLedgerConfig.ANOMALY_COVERAGE_TARGET)), s.topSources());
        List<String> planned = Arrays.stream(c.get(TokenLedgerConfig.ANOMALY_PLANNED).split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        return new AnomalyConfig(Boolean.parseBoolean(c.get(TokenLedgerConfig.ANOMALY_ENABLED)), s, planned);
    }

    /** Whether the anomaly is a planned change: its id is listed, or the series key its id starts with. */
    public boolean isPlanned(String anomalyId) {
        for (String p : planned) {
            if (anomalyId.equals(p) || anomalyId.startsWith(p + "|")) {
                return true;
            }
        }
        return false;
    }

    /** The key segment of a kind: {@code unit_cost_drift} → {@code unit-cost-drift}. */
    static String segment(AnomalyKind kind) {
        return kind.id().replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
