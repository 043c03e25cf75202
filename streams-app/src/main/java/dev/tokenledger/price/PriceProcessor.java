package dev.tokenledger.price;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.metrics.PipelineMetrics;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Stage 3: prices an event against the book as of the event's own time. An unknown model is not
 * dropped: it passes on at zero cost, flagged {@code unpriced}, and is counted so it can be alerted.
 * Attribution is filled in by the next stage.
 */
public final class PriceProcessor implements FixedKeyProcessor<String, UsageEvent, PricedUsage> {

    /** Placeholder until the attribute stage runs; never leaves the topology. */
    static final Attribution PENDING = new Attribution("", "", null, null, null, "pending");

    private final PriceBook book;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<String, PricedUsage> context;

    public PriceProcessor(PriceBook book, PipelineMetrics metrics) {
        this.book = book;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PricedUsage> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        UsageEvent event = record.value();
        PricingResult result = CostEngine.price(event, book);
        boolean unpriced = result.price() == null;
        metrics.priced(unpriced, event.getProvider(), result.billedModel());
        PricedUsage priced = PricedUsage.newBuilder()
                .setEvent(event)
                .setBilledModel(result.billedModel())
                .setCost(result.toAvroCost())
                .setPrice(result.price())
                .setFlags(result.flagNames())
                .setAttribution(PENDING)
                .setPricedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
        context.forward(record.withValue(priced));
    }
}
