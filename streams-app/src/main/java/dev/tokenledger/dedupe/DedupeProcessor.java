package dev.tokenledger.dedupe;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.runtime.PipelineMetrics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Stage 2: gateways publish at least once, so the same {@code request_id} can arrive more than
 * once. The first occurrence passes; any other within the retention (event time, either side) is
 * absorbed and counted.
 *
 * <p>The store is a window store, so old ids age out segment by segment instead of needing a scan.
 * Each id is stored under the start of its retention-wide bucket of event time, with its own event
 * time as the value: an earlier occurrence within the retention is then in the same bucket or one
 * of its two neighbours, found by three point lookups (RocksDB gets, answered mostly by its bloom
 * filters) rather than a range scan over every segment, which was the most expensive step of the
 * pipeline. The retention check on the stored time keeps the rule exact.
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

    /**
     * The store this processor needs, laid out as it looks ids up: windows one retention wide, kept
     * three retentions, since the two neighbouring buckets are looked up too.
     */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(Duration retention) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, retention.multipliedBy(3), retention, false),
                Serdes.String(), Serdes.Long());
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        long t = record.timestamp();
        long bucket = Math.floorDiv(t, retentionMs) * retentionMs;
        for (long b = bucket - retentionMs; b <= bucket + retentionMs; b += retentionMs) {
            Long earlier = seen.fetch(record.key(), b);
            if (earlier != null && Math.abs(earlier - t) <= retentionMs) {
                metrics.duplicateAbsorbed();
                return;
            }
        }
        seen.put(record.key(), t, bucket);
        context.forward(record);
    }
}
