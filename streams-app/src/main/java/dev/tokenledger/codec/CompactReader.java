package dev.tokenledger.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;

/** Reads what {@link CompactWriter} wrote; every malformed input is a {@link SerializationException}. */
public final class CompactReader {

    private final byte[] buf;
    private final String what;
    private int pos;

    /** @param what names the encoding in error messages */
    public CompactReader(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    public byte raw() {
        if (pos >= buf.length) {
            throw new SerializationException(what + ": truncated");
        }
        return buf[pos++];
    }

    public boolean bool() {
        return raw() != 0;
    }

    public long varlong() {
        long zigzag = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 63) {
                throw new SerializationException(what + ": varint too long");
            }
            b = raw();
            zigzag |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    public String string() {
        int length = (int) varlong();
        if (length < 0 || pos + length > buf.length) {
            throw new SerializationException(what + ": bad string length " + length);
        }
        String s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    public String nullableString() {
        return bool() ? string() : null;
    }

    public BigDecimal decimal(int scale) {
        byte tag = raw();
        if (tag == 0) {
            return BigDecimal.valueOf(varlong(), scale);
        }
        int length = (int) varlong();
        if (length <= 0 || pos + length > buf.length) {
            throw new SerializationException(what + ": bad decimal length " + length);
        }
        BigInteger unscaled = new BigInteger(Arrays.copyOfRange(buf, pos, pos + length));
        pos += length;
        return new BigDecimal(unscaled, scale);
    }

    public BigDecimal nullableDecimal(int scale) {
        return bool() ? decimal(scale) : null;
    }

    /** Whether every byte was read (a decoder that stops early has misread the layout). */
    public boolean atEnd() {
        return pos == buf.length;
    }
}
