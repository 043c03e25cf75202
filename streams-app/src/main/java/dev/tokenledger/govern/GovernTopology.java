package dev.tokenledger.govern;

import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.avro.AgentRunState;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.GovernBundle;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.topics.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 6, governance: budgets that act, and ceilings against runaway loops. Fed by the priced
 * stream (the ceilings) and by the rollup stage's spend sums (the budgets); a pure function of its
 * configuration. Every processor, store and internal topic is named.
 *
 * <pre>
 *  priced ─┬─ govern-request-ceiling ──────────────────────────────────────────────────────▶ llm.alerts.budget.v1
 *          └─ govern-agent-run-key ─▶ govern-agent-run-calls (repartition, calls of a run) ─▶ govern-agent-runs ─▶ llm.alerts.budget.v1
 *  spend sums (rollup stage) ─ govern-fan-out ─▶ govern-spend-by-scope (repartition) ─▶ govern-unbundle ─▶ govern-budgets ─┬─▶ llm.alerts.budget.v1
 *  llm.budgets.v1 ─▶ govern-budget-store (global) ─▶ BudgetBook ···· read by govern-budgets                               └─▶ llm.budget-status.v1
 * </pre>
 *
 * <p>The budget book is one per topology, so one per application instance, shared by its threads.
 */
public final class GovernTopology {

    private final GovernSettings settings;
    private final GovernMetrics metrics;
    private final Topics topics;
    private final BudgetBook budgets = new BudgetBook();

    public GovernTopology(TokenLedgerConfig config, Topics topics, PipelineMetrics metrics) {
        this.settings = GovernSettings.from(config.asMap());
        this.metrics = new GovernMetrics(metrics.registry());
        this.topics = topics;
    }

    /**
     * @param priced every priced call: per-request and per-run ceilings
     * @param spend spend summed by the rollup stage ({@link dev.tokenledger.aggregate.AggregateTopology}), keyed by
     *        dimensions: budgets
     */
    public void addTo(StreamsBuilder builder, KStream<String, PricedUsage> priced, KStream<String, SpendDelta> spend) {
        // Budgets are few and every task needs any of them: a global in-memory store, restored from
        // the compacted topic (which has one partition, so it could not be co-partitioned anyway).
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BudgetStoreWriter.STORE), Serdes.String(),
                        topics.budgets.valueSerde()).withLoggingDisabled(),
                topics.budgets.name(), topics.budgets.consumed("govern-budgets-source"),
                () -> new BudgetStoreWriter(budgets, metrics));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BudgetProcessor.SCOPE_STORE),
                Serdes.String(), new ScopeStateSerde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BudgetProcessor.PENDING_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentRunProcessor.STORE),
                Serdes.String(), topics.avro(AgentRunState.class)).withCachingEnabled());

        // The per-request ceiling needs no state: checked where the call is, before any repartition.
        priced.flatMap((requestId, call) -> requestCeiling(call), Named.as("govern-request-ceiling"))
                .to(topics.budgetAlerts.name(), topics.budgetAlerts.produced("govern-request-ceiling-sink"));

        // Agent runs are keyed by run, which no aggregate has: the one per-call record of this stage,
        // slim, and only for the calls that belong to a run.
        priced.flatMap((requestId, call) -> {
                    KeyValue<String, GovernSpend> run = ScopeFanOut.agentRunCall(call);
                    return run == null ? List.<KeyValue<String, GovernSpend>>of() : List.of(run);
                }, Named.as("govern-agent-run-key"))
                .repartition(Repartitioned.with(Serdes.String(), topics.avro(GovernSpend.class))
                        .withName("govern-agent-run-calls").withNumberOfPartitions(settings.partitions()))
                .process(() -> new AgentRunProcessor(settings, metrics), Named.as("govern-agent-runs"), AgentRunProcessor.STORE)
                .to(topics.budgetAlerts.name(), topics.budgetAlerts.produced("govern-agent-run-sink"));

        // Budgets count summed spend from the rollup stage, not calls: one record per partition the
        // sum's scopes live in (not one per scope), each flush.
        var outputs = spend
                .flatMap((dimensions, sum) -> ScopeFanOut.bundles(dimensions, sum, settings.partitions()), Named.as("govern-fan-out"))
                .repartition(Repartitioned.with(Serdes.String(), topics.avro(GovernBundle.class))
                        .withName("govern-spend-by-scope").withNumberOfPartitions(settings.partitions()))
                .process(GovernUnbundle::new, Named.as("govern-unbundle"))
                .process(() -> new BudgetProcessor(settings, budgets, metrics), Named.as("govern-budgets"),
                        BudgetProcessor.SCOPE_STORE, BudgetProcessor.PENDING_STORE)
                .split(Named.as("govern-output-"))
                .branch((key, out) -> out instanceof GovernOutput.Alert, Branched.as("alert"))
                .defaultBranch(Branched.as("status"));
        outputs.get("govern-output-alert")
                .mapValues(GovernOutput::alertOf, Named.as("govern-unwrap-alert"))
                .to(topics.budgetAlerts.name(), topics.budgetAlerts.produced("govern-budget-alert-sink"));
        outputs.get("govern-output-status")
                .mapValues(GovernOutput::statusOf, Named.as("govern-unwrap-status"))
                .to(topics.budgetStatus.name(), topics.budgetStatus.produced("govern-budget-status-sink"));
    }

    private List<KeyValue<String, BudgetAlert>> requestCeiling(PricedUsage call) {
        String feature = call.getAttribution().getFeature();
        CeilingLimits limits = settings.ceilings(feature);
        if (call.getCost() == null || !limits.requestExceeded(call.getCost().getTotal())) {
            return List.of();
        }
        metrics.alertRaised(AlertKind.REQUEST_CEILING);
        return List.of(KeyValue.pair(Scope.FEATURE + ":" + feature,
                Alerts.requestCeiling(call, limits, call.getPricedAt().toEpochMilli())));
    }
}
