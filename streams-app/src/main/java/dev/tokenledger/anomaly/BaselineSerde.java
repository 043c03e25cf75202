package dev.tokenledger.anomaly;

import dev.tokenledger.codec.CompactReader;
import dev.tokenledger.codec.CompactWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The compact store encoding of a {@link Baseline}, versioned by its first byte: the number of
 * recorded hours, then per hour ascending its distance in hours from the previous one (a varint,
 * one byte for consecutive hours) and its value as the 8 bytes of the double (NaN: an excluded
 * hour). About 9 bytes an hour,
 * 6 KB for four full weeks. The settings are configuration, not state: a changed history length
 * applies on read, keeping the newest hours that fit.
 */
public final class BaselineSerde implements Serde<Baseline> {

    private static final byte VERSION = 1;
    private static final String WHAT = "anomaly baseline";

    private final Baseline.Settings settings;

    public BaselineSerde(Baseline.Settings settings) {
        this.settings = settings;
    }

    @Override
    public Serializer<Baseline> serializer() {
        return (topic, b) -> b == null ? null : encode(b);
    }

    @Override
    public Deserializer<Baseline> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes, settings);
    }

    static byte[] encode(Baseline b) {
        long[] hours = b.recordedHours();
        CompactWriter w = new CompactWriter(8 + hours.length * 10);
        w.raw(VERSION);
        w.varlong(hours.length);
        long previous = 0;
        for (int i = 0; i < hours.length; i++) {
            long hour = Baseline.hourIndex(hours[i]);
            w.varlong(i == 0 ? hour : hour - previous);
            previous = hour;
            long bits = Double.doubleToLongBits(b.valueAt(hours[i]));
            for (int shift = 56; shift >= 0; shift -= 8) {
                w.raw((byte) (bits >>> shift));
            }
        }
        return w.bytes();
    }

    static Baseline decode(byte[] bytes, Baseline.Settings settings) {
        CompactReader r = new CompactReader(bytes, WHAT);
        byte version = r.raw();
        if (version != VERSION) {
            throw new SerializationException(WHAT + ": unknown encoding version " + version);
        }
        long count = r.varlong();
        if (count < 0 || count > bytes.length) {
            throw new SerializationException(WHAT + ": bad hour count " + count);
        }
        Baseline b = new Baseline(settings);
        long hour = 0;
        for (long i = 0; i < count; i++) {
            long step = r.varlong();
            if (i > 0 && step <= 0) {
                throw new SerializationException(WHAT + ": hours out of order");
            }
            hour = i == 0 ? step : hour + step;
            long bits = 0;
            for (int k = 0; k < 8; k++) {
                bits = (bits << 8) | (r.raw() & 0xFF);
            }
            double value = Double.longBitsToDouble(bits);
            if (Double.isNaN(value)) {
                b.exclude(hour * Baseline.HOUR_MS);
                continue;
            }
            if (Double.isInfinite(value) || value < 0) {
                throw new SerializationException(WHAT + ": bad value " + value);
            }
            b.record(hour * Baseline.HOUR_MS, value);
        }
        if (!r.atEnd()) {
            throw new SerializationException(WHAT + ": " + bytes.length + " bytes, more than one record");
        }
        return b;
    }
}
