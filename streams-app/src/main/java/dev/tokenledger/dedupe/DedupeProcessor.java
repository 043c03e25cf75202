package dev.tokenledger.dedupe;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.config.Retention;
import dev.tokenledger.metrics.PipelineMetrics;
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
 * once. The rule: of all accepted events with one {@code request_id}, the first to arrive is passed
 * on, and every other whose event time is within the dedupe window (24 h by default) of it, either
 * side, is absorbed and counted, in any arrival order, whatever the lag between partitions.
 *
 * <p>Each id is filed in a window store under the start of its window-wide bucket of event time,
 * with its own event time as the value: an earlier occurrence within the window is then in the same
 * bucket or one of its two neighbours, found by three point lookups (RocksDB gets, answered mostly
 * by bloom filters) rather than a range scan over every segment. The store keeps event time for
 * {@link Retention#dedupeStore()}, more than validation accepts, so no accepted event's id or
 * bucket can have aged out, however late the event or far behind the store's stream time.
 */
public final class DedupeProcessor implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

    public static final String STORE = "dedupe-store";

    private final long windowMs;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<String, UsageEvent> context;
    private WindowStore<String, Long> seen;

    public DedupeProcessor(Duration window, PipelineMetrics metrics) {
        this.windowMs = window.toMillis();
        this.metrics = metrics;
    }

    /** The store this processor needs: windows one dedupe window wide, kept as long as {@code retention} says. */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(Retention retention) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, retention.dedupeStore(), retention.dedupeWindow(), false),
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
        long bucket = Math.floorDiv(t, windowMs) * windowMs;
        for (long b = bucket - windowMs; b <= bucket + windowMs; b += windowMs) {
            Long earlier = seen.fetch(record.key(), b);
            if (earlier != null && Math.abs(earlier - t) <= windowMs) {
                metrics.duplicateAbsorbed();
                return;
            }
        }
        seen.put(record.key(), t, bucket);
        context.forward(record);
    }
}
