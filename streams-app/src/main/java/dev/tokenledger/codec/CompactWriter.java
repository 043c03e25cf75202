package dev.tokenledger.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growable output of the compact store and internal-topic encodings: zigzag varints, strings as UTF-8
 * with a length, decimals as their unscaled value at a fixed scale. Read back by {@link CompactReader}.
 *
 * <p>Why hand-written rather than Avro: these records are written for every event on the hot path,
 * and Avro's decimal conversion (BigDecimal to BigInteger to bytes and back) costs more than the
 * stage that uses them. An amount is exact either way.
 */
public final class CompactWriter {

    private byte[] buf;
    private int pos;

    public CompactWriter(int initialCapacity) {
        this.buf = new byte[initialCapacity];
    }

    public void raw(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    public void bool(boolean b) {
        raw((byte) (b ? 1 : 0));
    }

    public void varlong(long v) {
        long zigzag = (v << 1) ^ (v >> 63);
        ensure(10);
        while ((zigzag & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        buf[pos++] = (byte) zigzag;
    }

    public void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varlong(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, pos, utf8.length);
        pos += utf8.length;
    }

    public void nullableString(String s) {
        bool(s != null);
        if (s != null) {
            string(s);
        }
    }

    /**
     * Tag 0: the unscaled value at {@code scale} fits a long (varint follows); tag 1: its two's-complement
     * bytes follow. Throws rather than round if {@code d} has more places than {@code scale}.
     */
    public void decimal(BigDecimal d, int scale) {
        BigInteger unscaled = d.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
        if (unscaled.bitLength() < 64) {
            raw((byte) 0);
            varlong(unscaled.longValue());
        } else {
            raw((byte) 1);
            byte[] bytes = unscaled.toByteArray();
            varlong(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }
    }

    public void nullableDecimal(BigDecimal d, int scale) {
        bool(d != null);
        if (d != null) {
            decimal(d, scale);
        }
    }

    public byte[] bytes() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
