package dev.tokenledger.govern;

import static dev.tokenledger.govern.GovernFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GovernSettingsTest {

    @Test
    void shouldUseTheGlobalCeilingsForFeaturesWithoutTheirOwn() {
        GovernSettings s = GovernSettings.from(Map.of(
                GovernSettings.REQUEST_USD, "1.50",
                "tokenledger.ceiling.feature.code-review-bot.agent-run-calls", "40",
                "tokenledger.ceiling.feature.code.review.v2.request-usd", "off",
                "bootstrap.servers", "ignored:9092"));

        assertThat(s.ceilings("search").requestUsd()).isEqualTo(usd("1.50"));
        assertThat(s.ceilings("code-review-bot").agentRunCalls()).isEqualTo(40L);
        assertThat(s.ceilings("code-review-bot").requestUsd()).isEqualTo(usd("1.50"));
        assertThat(s.ceilings("code.review.v2").requestUsd()).isNull();
        assertThat(s.agentRunInactivity()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void shouldRefuseMisspeltAndMalformedKeys() {
        assertThatThrownBy(() -> GovernSettings.from(Map.of("tokenledger.ceiling.request-usdd", "1")))
                .hasMessageContaining("unknown configuration key");
        assertThatThrownBy(() -> GovernSettings.from(Map.of("tokenledger.ceiling.feature.x.requests", "1")))
                .hasMessageContaining("tokenledger.ceiling.feature.x.requests");
        assertThatThrownBy(() -> GovernSettings.from(Map.of(GovernSettings.AGENT_RUN_USD, "1e3")))
                .hasMessageContaining(GovernSettings.AGENT_RUN_USD);
        assertThatThrownBy(() -> GovernSettings.from(Map.of(GovernSettings.CEILING_ACTION, "panic")))
                .hasMessageContaining("downgrade:MODEL");
        assertThatThrownBy(() -> GovernSettings.from(Map.of(GovernSettings.STATUS_REFRESH, "PT0S")))
                .hasMessageContaining("positive");
    }

    @Test
    void shouldCrossCeilingsOnlyWhenStrictlyExceeded() {
        CeilingLimits limits = new CeilingLimits(usd("2"), usd("10"), 5L, "alert");
        assertThat(limits.requestExceeded(usd("2"))).isFalse();
        assertThat(limits.requestExceeded(usd("2.000000000001"))).isTrue();
        assertThat(limits.agentRunExceeded(usd("10"), 5)).isFalse();
        assertThat(limits.agentRunExceeded(usd("10"), 6)).isTrue();
        assertThat(limits.agentRunExceeded(usd("10.01"), 1)).isTrue();
    }
}
