package dev.tokenledger.topology;

import dev.tokenledger.metrics.PipelineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Mirrors a compacted reference-data topic into a global store: latest value per key, tombstones delete. */
public final class GlobalStoreWriter<V> implements Processor<String, V, Void, Void> {

    private final String storeName;
    private final String topic;
    private final PipelineMetrics metrics;
    private KeyValueStore<String, V> store;

    public GlobalStoreWriter(String storeName, String topic, PipelineMetrics metrics) {
        this.storeName = storeName;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null) {
            metrics.referenceRejected(topic, "null_key"); // no key, nothing it could be the latest value of
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
