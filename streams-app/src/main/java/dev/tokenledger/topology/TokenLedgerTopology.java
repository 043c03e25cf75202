package dev.tokenledger.topology;

import dev.tokenledger.aggregate.AggregateTopology;
import dev.tokenledger.anomaly.AnomalyTopology;
import dev.tokenledger.attribute.AttributeProcessor;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.Retention;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.dedupe.DedupeProcessor;
import dev.tokenledger.govern.GovernTopology;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBookStoreUpdater;
import dev.tokenledger.price.PriceProcessor;
import dev.tokenledger.reconcile.ReconcileTopology;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.task.TaskTopology;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.validate.UsageDecoder;
import dev.tokenledger.validate.UsageDecoders;
import dev.tokenledger.validate.UsageValidator;
import dev.tokenledger.validate.ValidateProcessor;
import dev.tokenledger.validate.Validated;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole pipeline as one Streams topology, a pure function of its configuration and the
 * collaborators it is handed. Every processor, store and internal topic has an explicit name (a
 * test pins {@code describe()}), so a refactor cannot silently rename a changelog.
 *
 * <pre>
 *  llm.usage.v1 ──validate-avro──┐                       ┌─ dlq ──▶ llm.usage.dlq.v1
 *  llm.usage.json.v1 ─validate-json┴─▶ (rekey by request_id) ─▶ dedupe ─▶ price ─▶ attribute ─┬─▶ llm.usage.priced.v1
 *  llm.pricebook.v1 ─▶ pricebook-store (global)                                           ├─▶ rollup ─┬─▶ llm.rollups.v1
 *  llm.ownership.v1 ─▶ ownership-store (global)                                           │  (slim)   └─ spend sums ─┐
 *  llm.budgets.v1 ─▶ govern-budget-store (global)                                         └─▶ govern (ceilings) ◀────┘ ─▶ llm.alerts.budget.v1
 *                                                                                                   (budgets)        ─▶ llm.budget-status.v1
 * </pre>
 *
 * <p>After pricing, one record per call crosses a repartition: the slim spend record keyed by
 * dimensions. Calls of an agent run and calls with a task_id (only those) also cross the govern
 * and task stages' own slim repartitions. The budget stage is fed the rollup stage's sums, not calls
 * (see docs/architecture.md, "The per-event budget"). The task stage ({@code TaskTopology}) and the
 * reconcile stage ({@code ReconcileTopology}, fed the rollup stage's sums per provider, day and model and
 * the invoice lines) are not drawn.
 */
public final class TokenLedgerTopology {

    private final TokenLedgerConfig config;
    private final SchemaRegistry registry;
    private final PriceBook priceBook;
    private final PipelineMetrics metrics;

    /**
     * @param priceBook the in-memory index the price stage reads; kept in step with the global
     *        price-book store by {@link PriceBookStoreUpdater}. One per application instance.
     */
    public TokenLedgerTopology(TokenLedgerConfig config, SchemaRegistry registry, PriceBook priceBook, PipelineMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.priceBook = priceBook;
        this.metrics = metrics;
    }

    public Topology build() {
        StreamsBuilder builder = newBuilder(config);
        Topics topics = new Topics(config, registry);
        addReferenceData(builder, topics);

        KStream<String, UsageEvent> usage = validate(builder, topics);
        KStream<String, PricedUsage> priced = dedupeAndPrice(builder, usage);
        priced.to(topics.priced.name(), topics.priced.produced("priced-sink"));
        AggregateTopology.Aggregates aggregates = new AggregateTopology(config, topics, metrics).addTo(builder, priced);
        new GovernTopology(config, topics, metrics).addTo(builder, priced, aggregates.spend());
        new TaskTopology(config, topics, registry, metrics).addTo(builder, priced);
        new AnomalyTopology(config, topics).addTo(builder, aggregates.rollups());
        new ReconcileTopology(config, topics, priceBook).addTo(builder, aggregates.modelDays());
        return builder.build();
    }

    /**
     * A builder that refuses an internal topic or store Streams would name by position (such a name
     * changes with the next topology change, see the pinned description). Streams reads
     * {@code ensure.explicit.internal.resource.naming} from the builder's TopologyConfig only, not from
     * the properties KafkaStreams gets later; those replace every other setting of this config.
     */
    static StreamsBuilder newBuilder(TokenLedgerConfig config) {
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    }

    private void addReferenceData(StreamsBuilder builder, Topics topics) {
        // Reference data is small and every instance needs all of it: global, in-memory stores,
        // restored from their compacted topics (no changelog).
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PriceBookStoreUpdater.STORE),
                        Serdes.String(), topics.pricebook.valueSerde()).withLoggingDisabled(),
                topics.pricebook.name(), topics.pricebook.consumed("pricebook-source"),
                () -> new PriceBookStoreUpdater(priceBook, topics.pricebook.name(), metrics));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AttributeProcessor.STORE),
                        Serdes.String(), topics.ownership.valueSerde()).withLoggingDisabled(),
                topics.ownership.name(), topics.ownership.consumed("ownership-source"),
                () -> new GlobalStoreWriter<Ownership>(AttributeProcessor.STORE, topics.ownership.name(), metrics));
    }

    /** Stage 1: both inputs decoded and checked; rejects to the DLQ; valid events keyed by request_id. */
    private KStream<String, UsageEvent> validate(StreamsBuilder builder, Topics topics) {
        UsageValidator validator = new UsageValidator(config.duration(TokenLedgerConfig.MAX_FUTURE_SKEW), null);
        Duration maxAge = config.duration(TokenLedgerConfig.MAX_EVENT_AGE);
        UsageDecoder avro = UsageDecoders.avro(registry);
        UsageDecoder json = UsageDecoders.json();

        KStream<String, Validated> fromAvro = builder
                .stream(topics.usageAvro.name(), topics.usageAvro.consumed("usage-avro-source"))
                .process(() -> new ValidateProcessor(avro, validator, maxAge, metrics), Named.as("validate-avro"));
        KStream<String, Validated> fromJson = builder
                .stream(topics.usageJson.name(), topics.usageJson.consumed("usage-json-source"))
                .process(() -> new ValidateProcessor(json, validator, maxAge, metrics), Named.as("validate-json"));
        KStream<String, Validated> validated = fromAvro.merge(fromJson, Named.as("merge-inputs"));

        var branches = validated.split(Named.as("validated-"))
                .branch((k, v) -> !v.isValid(), Branched.as("rejected"))
                .branch((k, v) -> v.keyedByRequestId(), Branched.as("keyed"))
                .defaultBranch(Branched.as("rekey"));
        branches.get("validated-rejected")
                .mapValues(Validated::deadLetter, Named.as("to-dead-letter"))
                .to(topics.dlq.name(), topics.dlq.produced("dlq-sink"));

        // Records keyed by something other than request_id (all JSON input, mis-keyed Avro) are
        // moved to the partition of their request_id, where dedupe keeps its state.
        KStream<String, UsageEvent> rekeyed = branches.get("validated-rekey")
                .mapValues(Validated::event, Named.as("rekey-unwrap"))
                .repartition(Repartitioned.with(Serdes.String(), topics.avro(UsageEvent.class))
                        .withName("usage-by-request-id"));
        return branches.get("validated-keyed")
                .mapValues(Validated::event, Named.as("keyed-unwrap"))
                .merge(rekeyed, Named.as("merge-keyed"));
    }

    /** Stages 2–4: dedupe by request_id, price as of event time, attribute to an owner. */
    private KStream<String, PricedUsage> dedupeAndPrice(StreamsBuilder builder, KStream<String, UsageEvent> usage) {
        Retention retention = Retention.of(config);
        builder.addStateStore(DedupeProcessor.storeBuilder(retention));
        String defaultOwner = config.get(TokenLedgerConfig.DEFAULT_OWNER);
        return usage
                .processValues(() -> new DedupeProcessor(retention.dedupeWindow(), metrics), Named.as("dedupe"), DedupeProcessor.STORE)
                .processValues(() -> new PriceProcessor(priceBook, metrics), Named.as("price"))
                .processValues(() -> new AttributeProcessor(defaultOwner, metrics), Named.as("attribute"));
    }
}
