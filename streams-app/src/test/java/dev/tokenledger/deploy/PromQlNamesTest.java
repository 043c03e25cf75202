package dev.tokenledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void shouldFindTheMetricsAndNotTheFunctionsLabelsOrDurations() {
        assertThat(PromQlNames.metricNames("sum by (team, feature) (rate(tokenledger_spend_usd_total{team!=\"unallocated\"}[5m]))"
                + " / ignoring(team) group_left sum(rate(tokenledger_spend_usd_total[$__rate_interval])) > 0.9"))
                .containsExactly("tokenledger_spend_usd_total");
        assertThat(PromQlNames.metricNames("max_over_time(kafka_consumer_fetch_manager_records_lag_max[10m:1m]) > 1e3 "
                + "and on(pod) increase(tokenledger_dlq_records_total{reason=~\"a|b\"}[15m]) offset 5m"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max", "tokenledger_dlq_records_total");
        assertThat(PromQlNames.metricNames("label_values(tokenledger_events_read_total, pod)")).containsExactly("tokenledger_events_read_total");
        assertThat(PromQlNames.metricNames("histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))")).containsExactly("x_bucket");
    }
}
