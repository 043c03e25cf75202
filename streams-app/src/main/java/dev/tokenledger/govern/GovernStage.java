package dev.tokenledger.govern;

import dev.tokenledger.avro.AgentRunState;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.GovernSpend;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.ScopeState;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 6 wired into a topology, given its topic names and serdes (see {@link GovernTopology} for
 * the pipeline's). Every processor, store and internal topic is named.
 *
 * <pre>
 *  priced ─┬─ govern-request-ceiling ─────────────────────────────────────────▶ llm.alerts.budget.v1
 *          └─ govern-fan-out ─▶ govern-spend-by-scope (repartition) ─┬─ govern-agent-runs ─▶ llm.alerts.budget.v1
 *                                                                    └─ govern-budgets ─┬─▶ llm.alerts.budget.v1
 *  llm.budgets.v1 ─▶ govern-budget-store (global) ···· read by govern-budgets          └─▶ llm.budget-status.v1
 * </pre>
 */
public final class GovernStage {

    /** Where the stage reads and writes, and how it (de)serializes its Avro types. */
    public record Wiring(String budgetsTopic, String alertsTopic, String statusTopic, Serde<Budget> budgetSerde,
                         Serde<BudgetAlert> alertSerde, Serde<BudgetStatus> statusSerde, Serde<GovernSpend> spendSerde,
                         Serde<ScopeState> scopeStateSerde, Serde<AgentRunState> agentRunSerde) {
    }

    private final GovernSettings settings;
    private final GovernMetrics metrics;
    private final Wiring wiring;
    private final BudgetBook budgets = new BudgetBook();

    public GovernStage(GovernSettings settings, GovernMetrics metrics, Wiring wiring) {
        this.settings = settings;
        this.metrics = metrics;
        this.wiring = wiring;
    }

    public void addTo(StreamsBuilder builder, KStream<String, PricedUsage> priced) {
        // Budgets are few and every task needs any of them: a global in-memory store, restored from
        // the compacted topic; llm.budgets.v1 has one partition, so it could not be co-partitioned anyway.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BudgetStoreWriter.STORE), Serdes.String(),
                        wiring.budgetSerde()).withLoggingDisabled(),
                wiring.budgetsTopic(), Consumed.with(Serdes.String(), wiring.budgetSerde()).withName("govern-budgets-source"),
                () -> new BudgetStoreWriter(budgets, metrics));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BudgetProcessor.SCOPE_STORE),
                Serdes.String(), wiring.scopeStateSerde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BudgetProcessor.PENDING_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentRunProcessor.STORE),
                Serdes.String(), wiring.agentRunSerde()).withCachingEnabled());

        // The per-request ceiling needs no state: checked where the call is, before any repartition.
        priced.flatMap((requestId, call) -> requestCeiling(call), Named.as("govern-request-ceiling"))
                .to(wiring.alertsTopic(), Produced.with(Serdes.String(), wiring.alertSerde()).withName("govern-request-ceiling-sink"));

        var byScope = priced
                .flatMap((requestId, call) -> ScopeFanOut.fanOut(call), Named.as("govern-fan-out"))
                .repartition(Repartitioned.with(Serdes.String(), wiring.spendSerde()).withName("govern-spend-by-scope"))
                .split(Named.as("govern-scope-"))
                .branch((scope, call) -> scope.startsWith(Scope.AGENT_RUN + ":"), Branched.as("agent-run"))
                .defaultBranch(Branched.as("budget"));

        byScope.get("govern-scope-agent-run")
                .process(() -> new AgentRunProcessor(settings, metrics), Named.as("govern-agent-runs"), AgentRunProcessor.STORE)
                .to(wiring.alertsTopic(), Produced.with(Serdes.String(), wiring.alertSerde()).withName("govern-agent-run-sink"));

        var outputs = byScope.get("govern-scope-budget")
                .process(() -> new BudgetProcessor(settings, budgets, metrics), Named.as("govern-budgets"),
                        BudgetProcessor.SCOPE_STORE, BudgetProcessor.PENDING_STORE)
                .split(Named.as("govern-output-"))
                .branch((key, out) -> out instanceof GovernOutput.Alert, Branched.as("alert"))
                .defaultBranch(Branched.as("status"));
        outputs.get("govern-output-alert")
                .mapValues(GovernOutput::alertOf, Named.as("govern-unwrap-alert"))
                .to(wiring.alertsTopic(), Produced.with(Serdes.String(), wiring.alertSerde()).withName("govern-budget-alert-sink"));
        outputs.get("govern-output-status")
                .mapValues(GovernOutput::statusOf, Named.as("govern-unwrap-status"))
                .to(wiring.statusTopic(), Produced.with(Serdes.String(), wiring.statusSerde()).withName("govern-budget-status-sink"));
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
