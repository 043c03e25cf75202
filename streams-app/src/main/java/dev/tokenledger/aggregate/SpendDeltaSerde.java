package dev.tokenledger.aggregate;

import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.codec.CompactReader;
import dev.tokenledger.codec.CompactWriter;
import dev.tokenledger.money.Money;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The compact encoding of {@link SpendDelta} on the {@code spend-by-dimensions} repartition and in
 * the rollup stage's delta store, versioned by its first byte. About 60 bytes for a typical call,
 * against some 300 for the Avro {@code PricedUsage} that repartition used to carry.
 */
public final class SpendDeltaSerde implements Serde<SpendDelta> {

    private static final byte VERSION = 1;
    private static final String WHAT = "spend delta";

    @Override
    public Serializer<SpendDelta> serializer() {
        return (topic, d) -> d == null ? null : encode(d);
    }

    @Override
    public Deserializer<SpendDelta> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(SpendDelta d) {
        CompactWriter w = new CompactWriter(96);
        w.raw(VERSION);
        write(w, d);
        return w.bytes();
    }

    static SpendDelta decode(byte[] bytes) {
        CompactReader r = new CompactReader(bytes, WHAT);
        byte version = r.raw();
        if (version != VERSION) {
            throw new SerializationException(WHAT + ": unknown encoding version " + version);
        }
        SpendDelta d = read(r);
        if (!r.atEnd()) {
            throw new SerializationException(WHAT + ": " + bytes.length + " bytes, more than one record");
        }
        return d;
    }

    static void write(CompactWriter w, SpendDelta d) {
        w.varlong(d.requests());
        w.varlong(d.successes());
        w.varlong(d.failures());
        w.varlong(d.retries());
        w.varlong(d.unpricedRequests());
        w.varlong(d.inputTokens());
        w.varlong(d.uncachedInputTokens());
        w.varlong(d.cacheReadInputTokens());
        w.varlong(d.cacheCreationInputTokens());
        w.varlong(d.outputTokens());
        w.varlong(d.reasoningOutputTokens());
        CostBreakdown c = d.cost();
        w.decimal(c.getUncachedInput(), Money.SCALE);
        w.decimal(c.getCacheRead(), Money.SCALE);
        w.decimal(c.getCacheWrite(), Money.SCALE);
        w.decimal(c.getOutput(), Money.SCALE);
        w.decimal(c.getReasoning(), Money.SCALE);
        w.decimal(c.getFees(), Money.SCALE);
        w.decimal(c.getTotal(), Money.SCALE);
        w.decimal(d.retryCost(), Money.SCALE);
        w.decimal(d.providerReportedCost(), Money.SCALE);
        w.varlong(d.providerReportedRequests());
        w.varlong(d.lastEventAtMs());
        w.string(d.lastRequestId());
        w.nullableString(d.workload());
        w.nullableString(d.owner());
    }

    static SpendDelta read(CompactReader r) {
        return new SpendDelta(r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong(),
                r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong(),
                new CostBreakdown(r.decimal(Money.SCALE), r.decimal(Money.SCALE), r.decimal(Money.SCALE),
                        r.decimal(Money.SCALE), r.decimal(Money.SCALE), r.decimal(Money.SCALE), r.decimal(Money.SCALE)),
                r.decimal(Money.SCALE), r.decimal(Money.SCALE), r.varlong(),
                r.varlong(), r.string(), r.nullableString(), r.nullableString());
    }
}
