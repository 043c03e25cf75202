package dev.tokenledger.warehouse.statements;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The change of a direct cost from one month to the next, split into volume, mix and rate over segments (a
 * statement's segments are its feature and model pairs), with requests as the unit of volume. With Q requests, C
 * cost, q and c per segment, u = c / q its unit cost, s = q / Q its share of requests, P the prior month and N this one:
 * <ul>
 *   <li>volume = (Q_N - Q_P) x C_P / Q_P: as many more requests at last month's average cost;</li>
 *   <li>mix = sum over segments of (q_N - Q_N x s_P) x u_P: this month's requests moved between segments, each at its
 *       own last-month unit cost;</li>
 *   <li>rate = sum over segments of q_N x (u_N - u_P): this month's requests at their new unit cost.</li>
 * </ul>
 * The three add up to C_N - C_P algebraically. A segment new this month has no u_P: its u_P is taken as its u_N, so
 * it shows as mix, not rate. With no requests last month the whole change is volume. Volume and mix are rounded to 12
 * places; rate is computed as the change minus both, so the parts sum to the change to the last digit (it differs from
 * the formula only by that rounding).
 */
public final class VarianceSplit {

    private static final int SCALE = Money.SCALE;
    private static final int WORK = SCALE + 12;

    private VarianceSplit() {
    }

    /** Requests and cost of one segment in one month. */
    public record Segment(long requests, BigDecimal costUsd) {
    }

    public record Parts(BigDecimal change, BigDecimal volume, BigDecimal mix, BigDecimal rate) {
    }

    public static Parts split(Map<String, Segment> prior, Map<String, Segment> current) {
        long qP = prior.values().stream().mapToLong(Segment::requests).sum();
        long qN = current.values().stream().mapToLong(Segment::requests).sum();
        BigDecimal cP = prior.values().stream().map(Segment::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal cN = current.values().stream().map(Segment::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal change = cN.subtract(cP).setScale(SCALE, RoundingMode.UNNECESSARY);
        if (qP == 0) {
            return new Parts(change, change, zero(), zero());
        }
        BigDecimal volume = BigDecimal.valueOf(qN - qP).multiply(cP).divide(BigDecimal.valueOf(qP), SCALE, RoundingMode.HALF_EVEN);
        BigDecimal mix = BigDecimal.ZERO;
        Set<String> keys = new HashSet<>(prior.keySet());
        keys.addAll(current.keySet());
        for (String key : keys) {
            Segment p = prior.getOrDefault(key, new Segment(0, BigDecimal.ZERO));
            Segment n = current.getOrDefault(key, new Segment(0, BigDecimal.ZERO));
            BigDecimal unitPrior = p.requests() > 0 ? unit(p) : n.requests() > 0 ? unit(n) : BigDecimal.ZERO;
            // q_N - Q_N x q_P / Q_P, kept exact as a fraction over Q_P until it meets the unit cost.
            BigDecimal movedRequests = BigDecimal.valueOf(n.requests()).subtract(
                    BigDecimal.valueOf(qN).multiply(BigDecimal.valueOf(p.requests())).divide(BigDecimal.valueOf(qP), WORK, RoundingMode.HALF_EVEN));
            mix = mix.add(movedRequests.multiply(unitPrior));
        }
        mix = mix.setScale(SCALE, RoundingMode.HALF_EVEN);
        return new Parts(change, volume, mix, change.subtract(volume).subtract(mix));
    }

    private static BigDecimal unit(Segment s) {
        return s.costUsd().divide(BigDecimal.valueOf(s.requests()), WORK, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(SCALE);
    }
}
