package dev.tokenledger.topics;

import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.DeadLetter;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.avro.ReconciliationRow;
import dev.tokenledger.avro.Rollup;
import dev.tokenledger.avro.TaskResult;
import dev.tokenledger.avro.UntaskedCost;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.serde.ConfluentAvroSerde;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed registry of every topic the pipeline reads or writes. Names come from configuration
 * ({@code tokenledger.topic.<logical>}) with the contract's names as defaults (declared in ConfigRegistry); keys are plain
 * strings, values Avro in the Confluent wire format (the raw usage inputs are read as bytes so
 * that undecodable records can be sent to the DLQ as they arrived).
 */
public final class Topics {

    public final Topic<byte[], byte[]> usageAvro;
    public final Topic<byte[], byte[]> usageJson;
    public final Topic<String, PriceEntry> pricebook;
    public final Topic<String, Ownership> ownership;
    public final Topic<String, Budget> budgets;
    /** Provider invoice lines by line_id, written by {@code load invoice}: a corrected invoice replaces its lines. */
    public final Topic<String, InvoiceLine> invoices;
    public final Topic<String, PricedUsage> priced;
    public final Topic<String, Rollup> rollups;
    public final Topic<String, DeadLetter> dlq;
    public final Topic<String, BudgetAlert> budgetAlerts;
    public final Topic<String, BudgetStatus> budgetStatus;
    /** Task outcomes from the product, Avro and JSON, read as bytes like the usage inputs (bad ones go to the DLQ as they arrived). */
    public final Topic<byte[], byte[]> taskOutcomesAvro;
    public final Topic<byte[], byte[]> taskOutcomesJson;
    public final Topic<String, TaskResult> taskResults;
    public final Topic<String, UntaskedCost> taskUntasked;
    /** Derived against invoiced cost per (provider, day, model, charge class), with the cause of the variance. */
    public final Topic<String, ReconciliationRow> reconciliation;
    public final Topic<String, ReconciliationAlert> reconciliationAlerts;
    /** Anomaly states by anomaly id: the latest per id is the truth (docs/anomalies.md). */
    public final Topic<String, AnomalyAlert> anomalyAlerts;

    private final SchemaRegistry registry;
    /** Where Kafka Connect sends records the warehouse sink cannot convert. */
    private final String sinkDlqName;
    private final Map<String, String> byShippedName = new LinkedHashMap<>();

    public Topics(TokenLedgerConfig config, SchemaRegistry registry) {
        this.registry = registry;
        Serde<byte[]> bytes = Serdes.ByteArray();
        usageAvro = new Topic<>(name(config, "usage", "llm.usage.v1"), bytes, bytes);
        usageJson = new Topic<>(name(config, "usage-json", "llm.usage.json.v1"), bytes, bytes);
        pricebook = new Topic<>(name(config, "pricebook", "llm.pricebook.v1"), Serdes.String(), avro(PriceEntry.class));
        ownership = new Topic<>(name(config, "ownership", "llm.ownership.v1"), Serdes.String(), avro(Ownership.class));
        budgets = new Topic<>(name(config, "budgets", "llm.budgets.v1"), Serdes.String(), avro(Budget.class));
        invoices = new Topic<>(name(config, "invoices", "llm.invoices.v1"), Serdes.String(), avro(InvoiceLine.class));
        priced = new Topic<>(name(config, "priced", "llm.usage.priced.v1"), Serdes.String(), avro(PricedUsage.class));
        rollups = new Topic<>(name(config, "rollups", "llm.rollups.v1"), Serdes.String(), avro(Rollup.class));
        sinkDlqName = name(config, "sink-dlq", "llm.sink.dlq.v1");
        dlq = new Topic<>(name(config, "dlq", "llm.usage.dlq.v1"), Serdes.String(), avro(DeadLetter.class));
        budgetAlerts = new Topic<>(name(config, "budget-alerts", "llm.alerts.budget.v1"), Serdes.String(), avro(BudgetAlert.class));
        budgetStatus = new Topic<>(name(config, "budget-status", "llm.budget-status.v1"), Serdes.String(), avro(BudgetStatus.class));
        taskOutcomesAvro = new Topic<>(name(config, "task-outcomes", "llm.task-outcomes.v1"), bytes, bytes);
        taskOutcomesJson = new Topic<>(name(config, "task-outcomes-json", "llm.task-outcomes.json.v1"), bytes, bytes);
        taskResults = new Topic<>(name(config, "task-results", "llm.task-results.v1"), Serdes.String(), avro(TaskResult.class));
        taskUntasked = new Topic<>(name(config, "task-untasked", "llm.task-untasked.v1"), Serdes.String(), avro(UntaskedCost.class));
        reconciliation = new Topic<>(name(config, "reconciliation", "llm.reconciliation.v1"), Serdes.String(), avro(ReconciliationRow.class));
        reconciliationAlerts = new Topic<>(name(config, "reconciliation-alerts", "llm.alerts.reconciliation.v1"), Serdes.String(),
                avro(ReconciliationAlert.class));
        anomalyAlerts = new Topic<>(name(config, "anomaly-alerts", "llm.alerts.anomaly.v1"), Serdes.String(), avro(AnomalyAlert.class));
    }

    private String name(TokenLedgerConfig config, String logicalName, String shippedName) {
        String actual = config.topic(logicalName);
        byShippedName.put(shippedName, actual);
        return actual;
    }

    /**
     * Every topic's shipped name mapped to the name this pipeline uses (they differ under a
     * {@code tokenledger.topic.<name>} override), for configurations written with the shipped names:
     * the sink connectors' ({@code SinkConnectorConfigs.withTopics}).
     */
    public Map<String, String> byShippedName() {
        return Map.copyOf(byShippedName);
    }

    /** A value serde for {@code type} against this pipeline's registry. */
    public <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
        return new ConfluentAvroSerde<>(registry, type, false);
    }

    /** Inputs that must exist before the application starts. */
    public List<String> inputNames() {
        return List.of(usageAvro.name(), usageJson.name(), pricebook.name(), ownership.name(), budgets.name(), invoices.name(),
                taskOutcomesAvro.name(), taskOutcomesJson.name());
    }

    /** Reference-data topics and invoice lines: compacted, the latest value per key is the truth. */
    public List<String> compactedNames() {
        return List.of(pricebook.name(), ownership.name(), budgets.name(), invoices.name());
    }

    public List<String> outputNames() {
        return List.of(priced.name(), rollups.name(), dlq.name());
    }

    /** Outputs the core topology does not write (the governance and task topologies', the sink connectors' dead letters), created up front. */
    public List<String> extraOutputNames() {
        return List.of(budgetAlerts.name(), budgetStatus.name(), taskResults.name(), taskUntasked.name(),
                reconciliation.name(), reconciliationAlerts.name(), sinkDlqName, anomalyAlerts.name());
    }

    /** Outputs that hold the latest state per key. */
    public List<String> compactedOutputNames() {
        return List.of(budgetStatus.name(), taskResults.name(), taskUntasked.name(), reconciliation.name(),
                reconciliationAlerts.name());
    }
}
