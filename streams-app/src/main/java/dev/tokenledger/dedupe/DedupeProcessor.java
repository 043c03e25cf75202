package dev.tokenledger.dedupe;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.runtime.PipelineMetrics;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Stage 2: gateways publish at least once, so the same {@code request_id} can arrive more than
 * once. The first occurrence passes; any other within the retention (event time, either side) is
 * absorbed and counted. The store is a window store so old ids age out segment by segment instead
 * of needing a scan.
 */
public final class DedupeProcessor implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

    public static final String STORE = "dedupe-store";

    private final long retentionMs;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<String, UsageEvent> context;
    private WindowStore<String, Long> seen;

    public DedupeProcessor(Duration retention, PipelineMetrics metrics) {
        this.retentionMs = retention.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        long t = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(record.key(), t - retentionMs, t + retentionMs)) {
            if (earlier.hasNext()) {
                metrics.duplicateAbsorbed();
                return;
            }
        }
        seen.put(record.key(), t, t);
        context.forward(record);
    }
}
