package dev.tokenledger.price;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.metrics.PipelineMetrics;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global price-book store and the in-memory {@link PriceBook} index in step with the
 * compacted {@code llm.pricebook.v1} topic. A price change is an event on that topic, not a
 * redeploy; a tombstone removes one version. The index is what the hot path reads: a hash lookup
 * and a floor search instead of a store scan per event.
 */
public final class PriceBookStoreUpdater implements Processor<String, PriceEntry, Void, Void> {

    public static final String STORE = "pricebook-store";
    private static final Logger LOG = LoggerFactory.getLogger(PriceBookStoreUpdater.class);

    private final PriceBook book;
    private final PipelineMetrics metrics;
    private final String topic;
    private KeyValueStore<String, PriceEntry> store;

    public PriceBookStoreUpdater(PriceBook book, String topic, PipelineMetrics metrics) {
        this.book = book;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(STORE);
        // The global store was restored before init: rebuild the index from what it holds.
        try (KeyValueIterator<String, PriceEntry> all = store.all()) {
            all.forEachRemaining(kv -> book.upsert(kv.value));
        }
    }

    @Override
    public void process(Record<String, PriceEntry> record) {
        if (record.key() == null) {
            metrics.referenceRejected(topic, "null_key");
            LOG.error("ignoring price-book record without a key");
            return;
        }
        if (record.value() != null) {
            Optional<String> problem = PriceBook.problemWith(record.value());
            if (problem.isPresent()) {
                // A bad price must not stop every instance (this is the global thread): keep the
                // version in force and say why, loudly. `tokenledger load pricebook` rejects these up front.
                metrics.referenceRejected(topic, problem.get().split(":", 2)[0]);
                LOG.error("ignoring price-book record {}: {}", record.key(), problem.get());
                return;
            }
        }
        PriceEntry previous = store.get(record.key());
        if (previous != null) {
            book.remove(PriceBook.keyOf(previous));
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
            book.upsert(record.value());
        }
    }
}
