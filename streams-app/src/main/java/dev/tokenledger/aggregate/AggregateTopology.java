package dev.tokenledger.aggregate;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.config.Retention;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.topics.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 5, aggregate: the one repartition of the per-event path after pricing. Each priced call
 * becomes a slim {@link SpendDelta} keyed by its dimensions; the rollup stage sums them and emits
 * rollups, and hands the summed spend on (the budget stage's input). Every processor, store and
 * internal topic is named.
 *
 * <pre>
 *  priced ─ key-by-dimensions ─▶ spend-by-dimensions (repartition, SpendDelta) ─▶ rollup ─┬─▶ llm.rollups.v1
 *                                                                                          ├─▶ spend sums (returned)
 *                                                                                          └─▶ (provider, day, model) sums (returned)
 * </pre>
 */
public final class AggregateTopology {

    private final TokenLedgerConfig config;
    private final Topics topics;
    private final PipelineMetrics metrics;

    public AggregateTopology(TokenLedgerConfig config, Topics topics, PipelineMetrics metrics) {
        this.config = config;
        this.topics = topics;
        this.metrics = metrics;
    }

    /**
     * What the aggregate stage hands on: the summed spend per (dimensions, hour, workload), keyed by the
     * dimension key (the budget stage's input), and the spend per (provider, day, model) since the last
     * emission, keyed by {@link RollupKeys#modelDayKey} (the reconcile stage's), and the rollups written to
     * llm.rollups.v1 (hourly and daily, keyed as there; the anomaly stage's).
     */
    public record Aggregates(KStream<String, SpendDelta> spend, KStream<String, SpendDelta> modelDays,
                             KStream<String, Rollup> rollups) {
    }

    public Aggregates addTo(StreamsBuilder builder, KStream<String, PricedUsage> priced) {
        // Windows are kept longer than validation accepts events (see Retention), so no task's
        // stream time, however far ahead of another partition's, can expire a window an accepted event needs.
        Duration retention = Retention.of(config).rollupStores();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(RollupProcessor.HOURLY_STORE, retention, Duration.ofHours(1), false),
                Serdes.String(), topics.avro(Rollup.class)).withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(RollupProcessor.DAILY_STORE, retention, Duration.ofDays(1), false),
                Serdes.String(), topics.avro(Rollup.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RollupProcessor.DELTA_STORE), Serdes.String(), new PendingSpendSerde())
                .withCachingEnabled());
        Duration governInterval = config.duration(TokenLedgerConfig.BUDGET_SPEND_INTERVAL);
        Duration emitInterval = config.duration(TokenLedgerConfig.ROLLUP_EMIT_INTERVAL);

        var outputs = priced
                .map((requestId, p) -> KeyValue.pair(RollupKeys.dimensions(p), SpendDelta.of(p)), Named.as("key-by-dimensions"))
                .repartition(Repartitioned.with(Serdes.String(), new SpendDeltaSerde()).withName("spend-by-dimensions"))
                .process(() -> new RollupProcessor(governInterval, emitInterval, retention, metrics), Named.as("rollup"),
                        RollupProcessor.HOURLY_STORE, RollupProcessor.DAILY_STORE, RollupProcessor.DELTA_STORE)
                .split(Named.as("rollup-output-"))
                .branch((key, out) -> out instanceof RollupOutput.Window, Branched.as("window"))
                .branch((key, out) -> out instanceof RollupOutput.ModelDay, Branched.as("model-day"))
                .defaultBranch(Branched.as("spend"));
        KStream<String, Rollup> rollups = outputs.get("rollup-output-window")
                .mapValues(RollupOutput::rollupOf, Named.as("rollup-unwrap-window"));
        rollups.to(topics.rollups.name(), topics.rollups.produced("rollups-sink"));
        return new Aggregates(
                outputs.get("rollup-output-spend").mapValues(RollupOutput::spendOf, Named.as("rollup-unwrap-spend")),
                outputs.get("rollup-output-model-day").mapValues(RollupOutput::modelDayOf, Named.as("rollup-unwrap-model-day")),
                rollups);
    }
}
