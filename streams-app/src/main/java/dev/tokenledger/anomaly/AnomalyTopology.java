package dev.tokenledger.anomaly;

import dev.tokenledger.aggregate.Granularity;
import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The anomaly stage (docs/anomalies.md; 7b in docs/architecture.md): fed by the hourly rollups the
 * rollup stage writes, not by a per-event repartition. A pure function of its configuration; every
 * processor, store and internal topic is named.
 *
 * <pre>
 *  rollups ─ anomaly-hourly ─▶ anomaly-rollups (repartition, 1 partition) ─▶ anomaly-detect ─▶ llm.alerts.anomaly.v1
 *                                                    (anomaly-rollup-store, anomaly-published-store, anomaly-dirty-store)
 * </pre>
 *
 * <p>Why one partition: a feature's, team's or customer's series sums rollups of many dimension keys,
 * which the rollup stage spreads over all its partitions, and coverage sums a whole day. Rollups are
 * aggregates, written once per changed window per emit interval, so one partition carries them easily;
 * the per-event path is untouched.
 */
public final class AnomalyTopology {

    private final AnomalyConfig config;
    private final Topics topics;

    public AnomalyTopology(TokenLedgerConfig config, Topics topics) {
        this.config = AnomalyConfig.from(config);
        this.topics = topics;
    }

    /** @param rollups the rollup stage's output (hourly and daily), keyed as on llm.rollups.v1 */
    public void addTo(StreamsBuilder builder, KStream<String, Rollup> rollups) {
        if (!config.enabled()) {
            return;
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AnomalyProcessor.STORE),
                Serdes.String(), topics.avro(Rollup.class)).withCachingEnabled());
        // The rebuild after late rollups: the last state published per anomaly, and the oldest late hour.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AnomalyProcessor.PUBLISHED_STORE),
                Serdes.String(), topics.avro(AnomalyAlert.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AnomalyProcessor.DIRTY_STORE),
                Serdes.String(), Serdes.Long()));
        String hourly = Granularity.HOURLY.label();
        rollups.filter((key, r) -> hourly.equals(r.getGranularity()), Named.as("anomaly-hourly"))
                .repartition(Repartitioned.with(Serdes.String(), topics.avro(Rollup.class))
                        .withName("anomaly-rollups").withNumberOfPartitions(1))
                .process(() -> new AnomalyProcessor(config), Named.as("anomaly-detect"),
                        AnomalyProcessor.STORE, AnomalyProcessor.PUBLISHED_STORE, AnomalyProcessor.DIRTY_STORE)
                .to(topics.anomalyAlerts.name(), topics.anomalyAlerts.produced("anomaly-alert-sink"));
    }
}
