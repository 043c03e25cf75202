package dev.tokenledger.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLabelsTest {

    @Test
    void shouldKeepTheFirstCombinationsAndReportLaterOnesAsOther() {
        BoundedLabels labels = new BoundedLabels(2);

        assertThat(labels.bound("search", "semantic-search")).containsExactly("search", "semantic-search");
        assertThat(labels.bound("support", "triage")).containsExactly("support", "triage");
        assertThat(labels.bound("growth", "onboarding")).containsExactly(BoundedLabels.OTHER, BoundedLabels.OTHER);
        // A kept combination stays kept.
        assertThat(labels.bound("search", "semantic-search")).containsExactly("search", "semantic-search");
    }

    @Test
    void shouldSumSpendExactlyAndFoldSeriesBeyondTheLimitIntoOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        // Ten cents a hundred times: a double sum drifts (10.000000000000002), the exact one does not.
        for (int i = 0; i < 100; i++) {
            metrics.spent("search", "semantic-search", "tagged", new BigDecimal("0.1"));
        }
        for (int i = 0; i < PipelineMetrics.SPEND_SERIES_LIMIT + 5; i++) {
            metrics.spent("team-" + i, "feature-" + i, "tagged", new BigDecimal("0.000000000001"));
        }

        FunctionCounter search = registry.find("tokenledger.spend.usd").tags("team", "search", "feature", "semantic-search").functionCounter();
        assertThat(search.count()).isEqualTo(10.0);
        // The search pair took one of the 500 places: 499 generated pairs kept, 6 folded into _other.
        assertThat(registry.find("tokenledger.spend.usd").functionCounters()).hasSize(PipelineMetrics.SPEND_SERIES_LIMIT + 1);
        FunctionCounter other = registry.find("tokenledger.spend.usd").tags("team", BoundedLabels.OTHER).functionCounter();
        assertThat(other.count()).isEqualTo(6e-12);
        assertThat(List.of(other.getId().getTag("feature"), other.getId().getTag("attribution"))).containsExactly(BoundedLabels.OTHER, "tagged");
    }
}
