package dev.tokenledger.govern;

import dev.tokenledger.avro.GovernBundle;
import dev.tokenledger.avro.GovernSpend;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Opens a {@link GovernBundle} into one record per scope, keyed by the scope. No repartition is
 * needed: every scope in a bundle hashes to the partition the bundle arrived on.
 */
public final class GovernUnbundle implements Processor<String, GovernBundle, String, GovernSpend> {

    private ProcessorContext<String, GovernSpend> context;

    @Override
    public void init(ProcessorContext<String, GovernSpend> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, GovernBundle> record) {
        if (record.value() == null) {
            return;
        }
        for (String scope : record.value().getScopes()) {
            context.forward(record.withKey(scope).withValue(record.value().getSpend()));
        }
    }
}
