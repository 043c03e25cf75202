package dev.tokenledger.task;

import dev.tokenledger.avro.TaskOutcome;
import dev.tokenledger.registry.SchemaRegistry;
import dev.tokenledger.serde.ConfluentAvroDeserializer;
import dev.tokenledger.validate.Violation;
import java.util.List;
import java.util.function.BiFunction;

/** The two forms an outcome arrives in: Confluent wire-format Avro, or JSON. A decoder never throws. */
public final class TaskOutcomeDecoders {

    /** (topic, bytes) → the outcome or why it could not be read. */
    public interface Decoder extends BiFunction<String, byte[], TaskOutcomeJson.Parsed> {
    }

    private TaskOutcomeDecoders() {
    }

    public static Decoder avro(SchemaRegistry registry) {
        ConfluentAvroDeserializer<TaskOutcome> deserializer = new ConfluentAvroDeserializer<>(registry, TaskOutcome.class, false);
        return (topic, value) -> {
            try {
                return new TaskOutcomeJson.Parsed(deserializer.deserialize(topic, value), List.of());
            } catch (RuntimeException e) {
                // A corrupt payload fails inside Avro in many ways; none may stop the stream.
                return new TaskOutcomeJson.Parsed(null, List.of(new Violation(Violation.UNDECODABLE, null,
                        "not a Confluent wire-format Avro TaskOutcome: " + rootMessage(e))));
            }
        };
    }

    public static Decoder json() {
        return (topic, value) -> TaskOutcomeJson.parse(value);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
