package dev.tokenledger.validate;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.serde.ConfluentAvroDeserializer;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/** The two ways a usage event arrives: Confluent wire-format Avro, or JSON for producers without a registry. */
public final class UsageDecoders {

    private UsageDecoders() {
    }

    public static UsageDecoder avro(SchemaRegistry registry) {
        ConfluentAvroDeserializer<UsageEvent> deserializer = new ConfluentAvroDeserializer<>(registry, UsageEvent.class, false);
        return (topic, value) -> {
            try {
                UsageEvent event = deserializer.deserialize(topic, value);
                return new UsageDecoder.Decoded(event, List.of());
            } catch (SerializationException | org.apache.avro.AvroRuntimeException e) {
                return new UsageDecoder.Decoded(null, List.of(new Violation("undecodable", null,
                        "not a Confluent wire-format Avro UsageEvent: " + rootMessage(e))));
            } catch (RuntimeException e) {
                // A corrupt payload can fail deep inside Avro's decoder in many ways; none may stop the stream.
                return new UsageDecoder.Decoded(null, List.of(new Violation("undecodable", null,
                        "corrupt Avro payload: " + rootMessage(e))));
            }
        };
    }

    public static UsageDecoder json() {
        return (topic, value) -> {
            ParseResult result = UsageEventJson.parse(value);
            return new UsageDecoder.Decoded(result.event(), result.violations());
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
