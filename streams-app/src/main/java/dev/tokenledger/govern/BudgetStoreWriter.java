package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors llm.budgets.v1 into the global budget store (latest value per record key, tombstones
 * delete) and keeps the instance's {@link BudgetBook} in step with it. A budget that cannot be
 * applied is counted and logged, and the budget in force stays as it was.
 */
public final class BudgetStoreWriter implements Processor<String, Budget, Void, Void> {

    public static final String STORE = "govern-budget-store";

    private static final Logger LOG = LoggerFactory.getLogger(BudgetStoreWriter.class);

    private final BudgetBook book;
    private final GovernMetrics metrics;
    private KeyValueStore<String, Budget> store;

    public BudgetStoreWriter(BudgetBook book, GovernMetrics metrics) {
        this.book = book;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(STORE);
        // The store may have been restored before init: rebuild the book from what it holds.
        book.clear();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> book.apply(kv.key, kv.value));
        }
    }

    @Override
    public void process(Record<String, Budget> record) {
        if (record.key() == null) {
            metrics.budgetRejected("null_key");
            return;
        }
        Optional<String> problem = book.apply(record.key(), record.value());
        if (problem.isPresent()) {
            metrics.budgetRejected(problem.get());
            LOG.warn("budget {} not applied: {}", record.key(), problem.get());
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
