package dev.tokenledger.reconcile;

import dev.tokenledger.aggregate.SpendDeltaSerde;
import dev.tokenledger.avro.InvoiceLine;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Both kinds of {@link ReconcileInput} on one internal topic: a tag byte ({@code D} derived, {@code I} invoice)
 * then the kind's own encoding (the compact spend record; the invoice line in the registry's Avro wire format).
 */
public final class ReconcileInputSerde implements Serde<ReconcileInput> {

    private static final byte DERIVED = 'D';
    private static final byte INVOICE = 'I';

    private final SpendDeltaSerde spend = new SpendDeltaSerde();
    private final Serde<InvoiceLine> invoice;

    public ReconcileInputSerde(Serde<InvoiceLine> invoice) {
        this.invoice = invoice;
    }

    @Override
    public Serializer<ReconcileInput> serializer() {
        return (topic, input) -> {
            if (input == null) {
                return null;
            }
            byte[] body = input instanceof ReconcileInput.Derived d
                    ? spend.serializer().serialize(topic, d.spend())
                    : invoice.serializer().serialize(topic, ((ReconcileInput.Invoice) input).line());
            byte[] out = new byte[body.length + 1];
            out[0] = input instanceof ReconcileInput.Derived ? DERIVED : INVOICE;
            System.arraycopy(body, 0, out, 1, body.length);
            return out;
        };
    }

    @Override
    public Deserializer<ReconcileInput> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
            return switch (bytes[0]) {
                case DERIVED -> new ReconcileInput.Derived(spend.deserializer().deserialize(topic, body));
                case INVOICE -> new ReconcileInput.Invoice(invoice.deserializer().deserialize(topic, body));
                default -> throw new SerializationException("unknown reconcile input tag " + bytes[0] + " on " + topic);
            };
        };
    }
}
