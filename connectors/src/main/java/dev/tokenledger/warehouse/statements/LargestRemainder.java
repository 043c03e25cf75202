package dev.tokenledger.warehouse.statements;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rounding that keeps a sum: every part is floored to the unit ({@code 10^-scale}), then the units the floors left
 * short of the target go one each to the parts with the largest remainders (on a tie, the earlier part). The rounded
 * parts therefore sum to the target exactly, and each is within one unit of its exact value when the target is the
 * exact sum rounded. The same rule splits an amount by weights at 12 places and rounds statements to cents.
 */
public final class LargestRemainder {

    /** Cents. */
    public static final int CENTS = 2;

    private LargestRemainder() {
    }

    /** The exact sum rounded to {@code scale} places, half-even: the target statements round to. */
    public static BigDecimal roundedTotal(List<BigDecimal> exact, int scale) {
        return exact.stream().reduce(BigDecimal.ZERO, BigDecimal::add).setScale(scale, RoundingMode.HALF_EVEN);
    }

    /** {@code exact} rounded to {@code scale} places so that the parts sum to their exact sum rounded half-even. */
    public static List<BigDecimal> round(List<BigDecimal> exact, int scale) {
        return round(exact, roundedTotal(exact, scale), scale);
    }

    /**
     * {@code exact} rounded to {@code scale} places so that they sum to {@code target} (which must have at most
     * {@code scale} places). When the target is further than one unit per part from the exact sum, the surplus or
     * shortfall still goes one unit per part, in remainder order, round after round.
     */
    public static List<BigDecimal> round(List<BigDecimal> exact, BigDecimal target, int scale) {
        int n = exact.size();
        if (n == 0) {
            if (target.signum() != 0) {
                throw new IllegalArgumentException("no parts to carry " + target.toPlainString());
            }
            return List.of();
        }
        BigInteger[] units = new BigInteger[n];
        BigDecimal[] remainders = new BigDecimal[n];
        BigInteger floors = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            BigDecimal scaled = exact.get(i).movePointRight(scale);
            BigDecimal floor = scaled.setScale(0, RoundingMode.FLOOR);
            units[i] = floor.toBigIntegerExact();
            remainders[i] = scaled.subtract(floor);
            floors = floors.add(units[i]);
        }
        BigInteger targetUnits = target.movePointRight(scale).setScale(0, RoundingMode.UNNECESSARY).toBigIntegerExact();
        long missing = targetUnits.subtract(floors).longValueExact();
        List<Integer> byRemainder = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byRemainder.add(i);
        }
        if (missing >= 0) {
            byRemainder.sort(Comparator.<Integer, BigDecimal>comparing(i -> remainders[i]).reversed()
                    .thenComparing(Comparator.naturalOrder()));
        } else {
            // Taking units back: from the parts that lose the least, that is the smallest remainders first.
            byRemainder.sort(Comparator.<Integer, BigDecimal>comparing(i -> remainders[i]).thenComparing(Comparator.naturalOrder()));
        }
        BigInteger step = BigInteger.valueOf(missing >= 0 ? 1 : -1);
        for (long k = 0; k < Math.abs(missing); k++) {
            int i = byRemainder.get((int) (k % n));
            units[i] = units[i].add(step);
        }
        List<BigDecimal> rounded = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rounded.add(new BigDecimal(units[i], scale));
        }
        return rounded;
    }

    /**
     * {@code amount} split in proportion to {@code weights} at {@code scale} places, the parts summing to the amount
     * exactly. All-zero weights split evenly. Weights must not be negative.
     */
    public static List<BigDecimal> split(BigDecimal amount, List<BigDecimal> weights, int scale) {
        BigDecimal total = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        for (BigDecimal w : weights) {
            if (w.signum() < 0) {
                throw new IllegalArgumentException("negative weight " + w.toPlainString());
            }
        }
        List<BigDecimal> shares = new ArrayList<>(weights.size());
        for (BigDecimal w : weights) {
            BigDecimal share = total.signum() == 0
                    ? amount.divide(BigDecimal.valueOf(weights.size()), scale + 6, RoundingMode.HALF_EVEN)
                    // Six places beyond the unit is enough to order the remainders; the rounding below keeps the sum.
                    : amount.multiply(w).divide(total, scale + 6, RoundingMode.HALF_EVEN);
            shares.add(share);
        }
        return round(shares, amount.setScale(scale, RoundingMode.UNNECESSARY), scale);
    }
}
