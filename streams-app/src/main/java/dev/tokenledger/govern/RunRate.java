package dev.tokenledger.govern;

import dev.tokenledger.avro.RateBucket;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

/**
 * The recent run rate of a scope: its spend over a trailing window of event time, kept as
 * {@value #BUCKETS} buckets of {@code window / BUCKETS} each, and the spend it projects to the end
 * of a period if it continues. Buckets are kept across period boundaries, so a new month starts
 * with yesterday's rate rather than with none.
 */
public final class RunRate {

    public static final int BUCKETS = 24;

    private final long widthMs;

    public RunRate(Duration window) {
        this.widthMs = Math.max(1, window.toMillis() / BUCKETS);
    }

    /** Adds a call's cost at event time {@code t}; buckets (ascending by start) are mutated in place. */
    public void add(List<RateBucket> buckets, long t, BigDecimal cost) {
        long start = bucketStart(t);
        long newest = buckets.isEmpty() ? start : Math.max(start, buckets.get(buckets.size() - 1).getStart().toEpochMilli());
        long oldestKept = newest - (BUCKETS - 1) * widthMs;
        buckets.removeIf(b -> b.getStart().toEpochMilli() < oldestKept);
        if (start < oldestKept) {
            return; // older than the window: counts as spend, not as recent rate
        }
        int i = 0;
        while (i < buckets.size() && buckets.get(i).getStart().toEpochMilli() < start) {
            i++;
        }
        if (i < buckets.size() && buckets.get(i).getStart().toEpochMilli() == start) {
            RateBucket b = buckets.get(i);
            b.setSpend(Money.of(b.getSpend()).plus(Money.of(cost)).toBigDecimal());
        } else if (cost.signum() != 0) {
            buckets.add(i, new RateBucket(java.time.Instant.ofEpochMilli(start), Money.of(cost).toBigDecimal()));
        }
    }

    /** Spend in the window ending at {@code t}: the buckets from {@code t}'s back {@value #BUCKETS}. */
    public BigDecimal trailing(List<RateBucket> buckets, long t) {
        long last = bucketStart(t);
        long first = last - (BUCKETS - 1) * widthMs;
        Money sum = Money.ZERO;
        for (RateBucket b : buckets) {
            long s = b.getStart().toEpochMilli();
            if (s >= first && s <= last) {
                sum = sum.plus(Money.of(b.getSpend()));
            }
        }
        return sum.toBigDecimal();
    }

    /**
     * {@code spend} plus the trailing window's spend continued, at the same rate, from {@code t} to
     * {@code periodEnd}. The window the rate is measured over runs from its oldest bucket's start to
     * {@code t}. Rounded half-even to the money scale: a projection, not an amount that is summed.
     */
    public BigDecimal projection(BigDecimal spend, List<RateBucket> buckets, long t, long periodEnd) {
        long remaining = periodEnd - t;
        if (remaining <= 0) {
            return Money.of(spend).toBigDecimal();
        }
        long span = t - (bucketStart(t) - (BUCKETS - 1) * widthMs);
        BigDecimal extrapolated = trailing(buckets, t).multiply(BigDecimal.valueOf(remaining))
                .divide(BigDecimal.valueOf(span), Money.SCALE, RoundingMode.HALF_EVEN);
        return spend.add(extrapolated).setScale(Money.SCALE, RoundingMode.UNNECESSARY);
    }

    private long bucketStart(long t) {
        return Math.floorDiv(t, widthMs) * widthMs;
    }
}
