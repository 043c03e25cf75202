package dev.tokenledger.attribute;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PricedUsage;
import dev.tokenledger.metrics.PipelineMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/** Stage 4: attributes a priced event against the ownership registry (a global store). */
public final class AttributeProcessor implements FixedKeyProcessor<String, PricedUsage, PricedUsage> {

    public static final String STORE = "ownership-store";

    private final String defaultOwner;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<String, PricedUsage> context;
    private Attributor attributor;

    public AttributeProcessor(String defaultOwner, PipelineMetrics metrics) {
        this.defaultOwner = defaultOwner;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PricedUsage> context) {
        this.context = context;
        KeyValueStore<String, Ownership> store = context.getStateStore(STORE);
        this.attributor = new Attributor(store::get, defaultOwner);
    }

    @Override
    public void process(FixedKeyRecord<String, PricedUsage> record) {
        PricedUsage priced = record.value();
        Attribution attribution = attributor.attribute(priced.getEvent());
        priced.setAttribution(attribution);
        metrics.attributed(attribution.getMethod());
        metrics.spent(attribution.getTeam(), attribution.getFeature(), attribution.getMethod(), priced.getCost().getTotal());
        context.forward(record.withValue(priced));
    }
}
