package dev.tokenledger.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.config.TokenLedgerConfig;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tokenledger.anomaly.* keys, as declared in ConfigRegistry, give the engine's documented defaults; each key moves its setting. */
class AnomalyConfigTest {

    @Test
    void shouldGiveTheEngineDefaultsFromTheDeclaredDefaults() {
        AnomalyConfig c = AnomalyConfig.from(TokenLedgerConfig.of(Map.of()));
        assertThat(c.enabled()).isTrue();
        assertThat(c.planned()).isEmpty();
        assertThat(c.settings()).isEqualTo(AnomalySettings.defaults());
    }

    @Test
    void shouldReadEveryKindOfKey() {
        AnomalyConfig c = AnomalyConfig.from(TokenLedgerConfig.of(Map.of(
                TokenLedgerConfig.ANOMALY_GRACE_HOURS, "12",
                TokenLedgerConfig.ANOMALY_KINDS, "spend_spike, coverage_drop",
                TokenLedgerConfig.ANOMALY_SPEND_MIN_HISTORY_HOURS, "168",
                TokenLedgerConfig.ANOMALY_RATIO_MIN_HISTORY_HOURS, "48",
                TokenLedgerConfig.ANOMALY_MIN_SCORE, "5.5",
                TokenLedgerConfig.ANOMALY_COVERAGE_TARGET, "0.95",
                "tokenledger.anomaly.unit-cost-drift.relative-change", "0.3",
                "tokenledger.anomaly.spend-spike.min-spend-usd", "25.00",
                TokenLedgerConfig.ANOMALY_PLANNED, "unit_cost_drift|feature|f|f|-, spend_spike|team|t|-|-|2026-11-01T00:00:00Z")));
        AnomalySettings s = c.settings();
        assertThat(s.graceHours()).isEqualTo(12);
        assertThat(s.rule(AnomalyKind.SPEND_SPIKE).enabled()).isTrue();
        assertThat(s.rule(AnomalyKind.COVERAGE_DROP).enabled()).isTrue();
        assertThat(s.rule(AnomalyKind.UNIT_COST_DRIFT).enabled()).isFalse();
        assertThat(s.rule(AnomalyKind.SPEND_SPIKE).baseline().minHistoryHours()).isEqualTo(168);
        assertThat(s.rule(AnomalyKind.SPEND_SPIKE).baseline().historyHours()).isEqualTo(28 * 24);
        assertThat(s.rule(AnomalyKind.CACHE_HIT_DROP).baseline().minHistoryHours()).isEqualTo(48);
        assertThat(s.rule(AnomalyKind.RETRY_STORM).minScore()).isEqualTo(5.5);
        assertThat(s.rule(AnomalyKind.UNIT_COST_DRIFT).minRelativeChange()).isEqualTo(0.3);
        assertThat(s.rule(AnomalyKind.SPEND_SPIKE).minSpendUsd()).isEqualByComparingTo(new BigDecimal("25"));
        assertThat(s.coverageTarget()).isEqualByComparingTo("0.95");

        assertThat(c.isPlanned("unit_cost_drift|feature|f|f|-|2026-11-03T10:00:00Z")).isTrue();
        assertThat(c.isPlanned("unit_cost_drift|feature|f|f|anthropic/m|2026-11-03T10:00:00Z")).isFalse();
        assertThat(c.isPlanned("spend_spike|team|t|-|-|2026-11-01T00:00:00Z")).isTrue();
        assertThat(c.isPlanned("spend_spike|team|t|-|-|2026-11-02T00:00:00Z")).isFalse();
    }

    @Test
    void shouldRejectAnUnknownKindAndAnInvalidThreshold() {
        assertThatThrownBy(() -> AnomalyConfig.from(TokenLedgerConfig.of(Map.of(TokenLedgerConfig.ANOMALY_KINDS, "spend_spike,spend_spik"))))
                .hasMessageContaining("unknown kind spend_spik");
        assertThatThrownBy(() -> TokenLedgerConfig.of(Map.of("tokenledger.anomaly.retry-storm.absolute-change", "-1")))
                .hasMessageContaining("tokenledger.anomaly.retry-storm.absolute-change");
    }
}
