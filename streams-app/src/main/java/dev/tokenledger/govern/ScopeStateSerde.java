package dev.tokenledger.govern;

import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.RateBucket;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.avro.SpendContributor;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The store encoding of {@link ScopeState} (the model generated from {@code ScopeState.avsc}): a compact
 * hand-written binary form, versioned by its first byte.
 *
 * <p>Why not Avro: the scope store is rewritten for every call in every scope it counts against
 * (seven per call), and a budgeted scope's state holds some fifty decimals; Avro's decimal
 * conversion (BigDecimal to BigInteger to bytes and back) made this store's serde the largest cost
 * of the stage. Here an amount is its unscaled value as a varint at the fixed scale (12 for money,
 * 2 for percent), falling back to bytes only beyond a long. Exact either way.
 */
public final class ScopeStateSerde implements Serde<ScopeState> {

    private static final byte VERSION = 1;
    private static final int PERCENT_SCALE = 2;

    @Override
    public Serializer<ScopeState> serializer() {
        return (topic, state) -> state == null ? null : encode(state);
    }

    @Override
    public Deserializer<ScopeState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(ScopeState s) {
        Writer w = new Writer();
        w.raw(VERSION);
        w.string(s.getScopeType());
        w.string(s.getScopeId());
        writePeriod(w, s.getMonthly());
        writePeriod(w, s.getDaily());
        w.varlong(s.getRateBuckets().size());
        for (RateBucket b : s.getRateBuckets()) {
            w.varlong(b.getStart().toEpochMilli());
            w.decimal(b.getSpend(), Money.SCALE);
        }
        return w.bytes();
    }

    static ScopeState decode(byte[] bytes) {
        Reader r = new Reader(bytes);
        byte version = r.raw();
        if (version != VERSION) {
            throw new SerializationException("govern scope state: unknown encoding version " + version);
        }
        String type = r.string();
        String id = r.string();
        PeriodSpend monthly = readPeriod(r);
        PeriodSpend daily = readPeriod(r);
        int buckets = (int) r.varlong();
        List<RateBucket> rate = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            rate.add(new RateBucket(Instant.ofEpochMilli(r.varlong()), r.decimal(Money.SCALE)));
        }
        return new ScopeState(type, id, monthly, daily, rate);
    }

    private static void writePeriod(Writer w, PeriodSpend p) {
        w.bool(p != null);
        if (p == null) {
            return;
        }
        w.string(p.getPeriod());
        w.varlong(p.getPeriodStart().toEpochMilli());
        w.decimal(p.getSpend(), Money.SCALE);
        w.varlong(p.getEvents());
        w.varlong(p.getLastEventAt().toEpochMilli());
        w.varlong(p.getContributors().size());
        for (SpendContributor c : p.getContributors()) {
            w.string(c.getName());
            w.decimal(c.getSpend(), Money.SCALE);
        }
        w.decimal(p.getUntracked(), Money.SCALE);
        w.varlong(p.getRaised().size());
        for (String kind : p.getRaised()) {
            w.string(kind);
        }
        writeStatus(w, p.getTold());
    }

    private static PeriodSpend readPeriod(Reader r) {
        if (!r.bool()) {
            return null;
        }
        PeriodSpend.Builder p = PeriodSpend.newBuilder()
                .setPeriod(r.string())
                .setPeriodStart(Instant.ofEpochMilli(r.varlong()))
                .setSpend(r.decimal(Money.SCALE))
                .setEvents(r.varlong())
                .setLastEventAt(Instant.ofEpochMilli(r.varlong()));
        int contributors = (int) r.varlong();
        List<SpendContributor> tracked = new ArrayList<>(contributors);
        for (int i = 0; i < contributors; i++) {
            tracked.add(new SpendContributor(r.string(), r.decimal(Money.SCALE)));
        }
        p.setContributors(tracked).setUntracked(r.decimal(Money.SCALE));
        int raisedCount = (int) r.varlong();
        List<String> raised = new ArrayList<>(raisedCount);
        for (int i = 0; i < raisedCount; i++) {
            raised.add(r.string());
        }
        return p.setRaised(raised).setTold(readStatus(r)).build();
    }

    private static void writeStatus(Writer w, BudgetStatus s) {
        w.bool(s != null);
        if (s == null) {
            return;
        }
        w.string(s.getScopeType());
        w.string(s.getScopeId());
        w.string(s.getPeriod());
        w.varlong(s.getPeriodStart().toEpochMilli());
        w.varlong(s.getPeriodEnd().toEpochMilli());
        w.decimal(s.getSpend(), Money.SCALE);
        w.decimal(s.getBudget(), Money.SCALE);
        w.decimal(s.getSoftThreshold(), Money.SCALE);
        w.decimal(s.getHardThreshold(), Money.SCALE);
        w.nullableDecimal(s.getPercent(), PERCENT_SCALE);
        w.string(s.getState());
        w.string(s.getAction());
        w.nullableDecimal(s.getProjection(), Money.SCALE);
        w.nullableString(s.getOwner());
        w.bool(s.getLastEventAt() != null);
        if (s.getLastEventAt() != null) {
            w.varlong(s.getLastEventAt().toEpochMilli());
        }
        w.varlong(s.getUpdatedAt().toEpochMilli());
    }

    private static BudgetStatus readStatus(Reader r) {
        if (!r.bool()) {
            return null;
        }
        return BudgetStatus.newBuilder()
                .setScopeType(r.string())
                .setScopeId(r.string())
                .setPeriod(r.string())
                .setPeriodStart(Instant.ofEpochMilli(r.varlong()))
                .setPeriodEnd(Instant.ofEpochMilli(r.varlong()))
                .setSpend(r.decimal(Money.SCALE))
                .setBudget(r.decimal(Money.SCALE))
                .setSoftThreshold(r.decimal(Money.SCALE))
                .setHardThreshold(r.decimal(Money.SCALE))
                .setPercent(r.nullableDecimal(PERCENT_SCALE))
                .setState(r.string())
                .setAction(r.string())
                .setProjection(r.nullableDecimal(Money.SCALE))
                .setOwner(r.nullableString())
                .setLastEventAt(r.bool() ? Instant.ofEpochMilli(r.varlong()) : null)
                .setUpdatedAt(Instant.ofEpochMilli(r.varlong()))
                .build();
    }

    /** Growable output: varints, strings as UTF-8 with a length, decimals as unscaled values. */
    private static final class Writer {
        private byte[] buf = new byte[256];
        private int pos;

        void raw(byte b) {
            ensure(1);
            buf[pos++] = b;
        }

        void bool(boolean b) {
            raw((byte) (b ? 1 : 0));
        }

        void varlong(long v) {
            long zigzag = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((zigzag & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((zigzag & 0x7F) | 0x80);
                zigzag >>>= 7;
            }
            buf[pos++] = (byte) zigzag;
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varlong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, pos, utf8.length);
            pos += utf8.length;
        }

        void nullableString(String s) {
            bool(s != null);
            if (s != null) {
                string(s);
            }
        }

        /**
         * Tag 0: the unscaled value at {@code scale} fits a long (varint follows); tag 1: its two's-complement
         * bytes follow. Throws rather than round if {@code d} has more places than {@code scale}.
         */
        void decimal(BigDecimal d, int scale) {
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

        void nullableDecimal(BigDecimal d, int scale) {
            bool(d != null);
            if (d != null) {
                decimal(d, scale);
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, pos);
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        byte raw() {
            if (pos >= buf.length) {
                throw new SerializationException("govern scope state: truncated");
            }
            return buf[pos++];
        }

        boolean bool() {
            return raw() != 0;
        }

        long varlong() {
            long zigzag = 0;
            int shift = 0;
            byte b;
            do {
                b = raw();
                zigzag |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return (zigzag >>> 1) ^ -(zigzag & 1);
        }

        String string() {
            int length = (int) varlong();
            if (length < 0 || pos + length > buf.length) {
                throw new SerializationException("govern scope state: bad string length " + length);
            }
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        String nullableString() {
            return bool() ? string() : null;
        }

        BigDecimal decimal(int scale) {
            byte tag = raw();
            if (tag == 0) {
                return BigDecimal.valueOf(varlong(), scale);
            }
            int length = (int) varlong();
            if (length <= 0 || pos + length > buf.length) {
                throw new SerializationException("govern scope state: bad decimal length " + length);
            }
            BigInteger unscaled = new BigInteger(Arrays.copyOfRange(buf, pos, pos + length));
            pos += length;
            return new BigDecimal(unscaled, scale);
        }

        BigDecimal nullableDecimal(int scale) {
            return bool() ? decimal(scale) : null;
        }
    }
}
