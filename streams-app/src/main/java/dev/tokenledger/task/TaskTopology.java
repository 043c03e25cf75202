package dev.tokenledger.task;

import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.TaskCall;
import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.avro.TaskState;
import dev.tokenledger.avro.UntaskedCost;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 7, tasks: the cost of each task joined with the outcome it produced (docs/tasks.md). Added to
 * the pipeline after the priced stream; a pure function of its configuration. Every processor, store
 * and internal topic is named.
 *
 * <pre>
 *  priced ─┬─ task-untasked (calls without task_id, per feature and day) ───────────────────────▶ llm.task-untasked.v1
 *          └─ task-call-key ─▶ task-calls-by-task (repartition, slim TaskCall, calls with a task_id) ─┐
 *  llm.task-outcomes.v1 ─ task-validate-outcome-avro ─┐                                              ├─▶ task-ledger ─▶ llm.task-results.v1
 *  llm.task-outcomes.json.v1 ─ task-validate-outcome-json ┴─▶ task-outcomes-by-task (repartition) ───┘
 *                                                       └─▶ rejects ─▶ llm.usage.dlq.v1
 * </pre>
 *
 * <p>The task key is not the call's, so calls must cross a repartition: only those with a task_id
 * do, as a record of a handful of fields. Outcomes are repartitioned too (one per task, a negligible
 * volume) so that any producer key and any partition count of the outcome topics lands with the calls.
 */
public final class TaskTopology {

    private final TaskSettings settings;
    private final Topics topics;
    private final SchemaRegistry registry;
    private final PipelineMetrics pipelineMetrics;
    private final TaskMetrics metrics;

    public TaskTopology(TokenLedgerConfig config, Topics topics, SchemaRegistry registry, PipelineMetrics metrics) {
        this.settings = TaskSettings.from(config);
        this.topics = topics;
        this.registry = registry;
        this.pipelineMetrics = metrics;
        this.metrics = new TaskMetrics(metrics.registry());
    }

    public void addTo(StreamsBuilder builder, KStream<String, PricedUsage> priced) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UntaskedProcessor.STORE),
                Serdes.String(), topics.avro(UntaskedCost.class)).withCachingEnabled());
        // The ledger's stores are not cached: one entry per task, most written a few times and then
        // only read at the deadline, so a cache would hold them long after they are clean and, being one
        // cache per thread, evict the rollup sums that are rewritten with every call (measured: the
        // rollup-delta changelog went from 0.2 to 1.05 records per event, and peak RSS to 995 MB).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TaskProcessor.STATE_STORE),
                Serdes.String(), topics.avro(TaskState.class)).withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TaskProcessor.DEADLINE_STORE),
                Serdes.String(), Serdes.String()).withCachingDisabled());

        // Untasked cost stays where the call is: summed per partition, no repartition.
        priced.process(() -> new UntaskedProcessor(settings.emitInterval(), settings.maxEventAge().plus(settings.maxFutureSkew())),
                        Named.as("task-untasked"), UntaskedProcessor.STORE)
                .to(topics.taskUntasked.name(), topics.taskUntasked.produced("task-untasked-sink"));

        KStream<String, TaskInput> calls = priced
                .flatMap((requestId, call) -> TaskCalls.of(call), Named.as("task-call-key"))
                .repartition(Repartitioned.with(Serdes.String(), topics.avro(TaskCall.class))
                        .withName("task-calls-by-task").withNumberOfPartitions(settings.partitions()))
                .mapValues(call -> (TaskInput) new TaskInput.Call(call), Named.as("task-call-input"));

        KStream<String, TaskInput> outcomes = outcomes(builder);

        calls.merge(outcomes, Named.as("task-merge-inputs"))
                .process(() -> new TaskProcessor(settings, metrics), Named.as("task-ledger"),
                        TaskProcessor.STATE_STORE, TaskProcessor.DEADLINE_STORE)
                .to(topics.taskResults.name(), topics.taskResults.produced("task-results-sink"));
    }

    /** Both outcome inputs decoded and checked; rejects to the DLQ; valid outcomes moved to their task's partition. */
    private KStream<String, TaskInput> outcomes(StreamsBuilder builder) {
        TaskOutcomeValidator validator = new TaskOutcomeValidator(settings.maxEventAge(), settings.maxFutureSkew());
        TaskOutcomeDecoders.Decoder avro = TaskOutcomeDecoders.avro(registry);
        TaskOutcomeDecoders.Decoder json = TaskOutcomeDecoders.json();
        KStream<String, CheckedOutcome> fromAvro = builder
                .stream(topics.taskOutcomesAvro.name(), topics.taskOutcomesAvro.consumed("task-outcomes-avro-source"))
                .process(() -> new OutcomeValidateProcessor(avro, validator, pipelineMetrics), Named.as("task-validate-outcome-avro"));
        KStream<String, CheckedOutcome> fromJson = builder
                .stream(topics.taskOutcomesJson.name(), topics.taskOutcomesJson.consumed("task-outcomes-json-source"))
                .process(() -> new OutcomeValidateProcessor(json, validator, pipelineMetrics), Named.as("task-validate-outcome-json"));
        var checked = fromAvro.merge(fromJson, Named.as("task-merge-outcomes"))
                .split(Named.as("task-outcome-"))
                .branch((key, o) -> !o.isValid(), Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));
        checked.get("task-outcome-rejected")
                .mapValues(CheckedOutcome::deadLetter, Named.as("task-outcome-to-dead-letter"))
                .to(topics.dlq.name(), topics.dlq.produced("task-outcome-dlq-sink"));
        return checked.get("task-outcome-valid")
                .mapValues(CheckedOutcome::outcome, Named.as("task-outcome-unwrap"))
                .repartition(Repartitioned.with(Serdes.String(), topics.avro(TaskOutcome.class))
                        .withName("task-outcomes-by-task").withNumberOfPartitions(settings.partitions()))
                .mapValues(outcome -> (TaskInput) new TaskInput.Outcome(outcome), Named.as("task-outcome-input"));
    }
}
