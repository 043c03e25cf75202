package dev.tokenledger.aggregate;

import dev.tokenledger.codec.CompactReader;
import dev.tokenledger.codec.CompactWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The store encoding of {@link PendingSpend}: two optional {@link SpendDelta}s, versioned by the first byte. */
public final class PendingSpendSerde implements Serde<PendingSpend> {

    private static final byte VERSION = 1;
    private static final String WHAT = "pending spend";

    @Override
    public Serializer<PendingSpend> serializer() {
        return (topic, p) -> p == null ? null : encode(p);
    }

    @Override
    public Deserializer<PendingSpend> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(PendingSpend p) {
        CompactWriter w = new CompactWriter(160);
        w.raw(VERSION);
        writeOptional(w, p.unemitted());
        writeOptional(w, p.ungoverned());
        return w.bytes();
    }

    static PendingSpend decode(byte[] bytes) {
        CompactReader r = new CompactReader(bytes, WHAT);
        byte version = r.raw();
        if (version != VERSION) {
            throw new SerializationException(WHAT + ": unknown encoding version " + version);
        }
        PendingSpend p = new PendingSpend(r.bool() ? SpendDeltaSerde.read(r) : null, r.bool() ? SpendDeltaSerde.read(r) : null);
        if (!r.atEnd()) {
            throw new SerializationException(WHAT + ": " + bytes.length + " bytes, more than one record");
        }
        return p;
    }

    private static void writeOptional(CompactWriter w, SpendDelta d) {
        w.bool(d != null);
        if (d != null) {
            SpendDeltaSerde.write(w, d);
        }
    }
}
