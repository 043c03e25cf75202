package dev.tokenledger.govern;

import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.DaySpend;
import dev.tokenledger.avro.PeriodSpend;
import dev.tokenledger.avro.RateBucket;
import dev.tokenledger.avro.ScopeState;
import dev.tokenledger.avro.SpendContributor;
import dev.tokenledger.codec.CompactReader;
import dev.tokenledger.codec.CompactWriter;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The store encoding of {@link ScopeState} (the model generated from {@code ScopeState.avsc}): a compact
 * hand-written binary form, versioned by its first byte.
 *
 * <p>Why not Avro: the scope store is rewritten for every spend sum in every scope it counts against
 * (up to six per sum), and a budgeted scope's state holds some fifty decimals; Avro's decimal
 * conversion (BigDecimal to BigInteger to bytes and back) made this store's serde the largest cost
 * of the stage. Here an amount is its unscaled value as a varint at the fixed scale (12 for money,
 * 2 for percent), falling back to bytes only beyond a long. Exact either way.
 */
public final class ScopeStateSerde implements Serde<ScopeState> {

    /** 2 adds the daily history; version 1 (no history) is still read. */
    private static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_HISTORY = 1;
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
        CompactWriter w = new CompactWriter(256);
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
        w.varlong(s.getDailyHistory().size());
        for (DaySpend d : s.getDailyHistory()) {
            w.varlong(d.getDay().toEpochMilli());
            w.varlong(d.getCalls());
            w.decimal(d.getSpend(), Money.SCALE);
        }
        return w.bytes();
    }

    static ScopeState decode(byte[] bytes) {
        CompactReader r = new CompactReader(bytes, "govern scope state");
        byte version = r.raw();
        if (version != VERSION && version != VERSION_WITHOUT_HISTORY) {
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
        List<DaySpend> history = new ArrayList<>();
        if (version >= VERSION) {
            int days = (int) r.varlong();
            for (int i = 0; i < days; i++) {
                history.add(new DaySpend(Instant.ofEpochMilli(r.varlong()), r.varlong(), r.decimal(Money.SCALE)));
            }
        }
        return new ScopeState(type, id, monthly, daily, rate, history);
    }

    private static void writePeriod(CompactWriter w, PeriodSpend p) {
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

    private static PeriodSpend readPeriod(CompactReader r) {
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

    private static void writeStatus(CompactWriter w, BudgetStatus s) {
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

    private static BudgetStatus readStatus(CompactReader r) {
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
}
