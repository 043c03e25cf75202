package dev.tokenledger.anomaly;

import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Splits a change in cost between a reference period and a scored period into four drivers, in
 * exact USD that sum to the impact to the last digit.
 *
 * <p>The reference is the sum of {@code n} reference hours, per model; the scored period is one hour
 * (or any window), per model. With, per model {@code m}: {@code r} requests, {@code t[k]} tokens of
 * class {@code k} ({@link Usage#TOKEN_CLASSES}), {@code c[k]} their cost, {@code f} fees and
 * {@code C} total cost; {@code 0} the reference and {@code 1} the scored period; {@code R} all
 * requests, {@code p0[m,k] = c0[m,k] / t0[m,k]} the reference price per token and
 * {@code u0[m] = C0[m] / r0[m]} the reference cost per request. The cost is rebuilt by chained
 * substitution, one factor at a time, in this fixed order:
 * <pre>
 *   L0 = ΣC0 / n                                   the reference cost of one period
 *   LV = R1 · ΣC0 / R0                              volume:      this period's requests at the reference cost per request
 *   LM = Σm r1[m] · u0[m]                           model mix:   this period's requests per model at each model's reference cost per request
 *   LS = Σm (Σk t1[m,k] · p0[m,k] + r1[m] · f0[m] / r0[m])
 *                                                   token shape: this period's tokens per class at the reference prices (fees stay per request)
 *   L1 = ΣC1                                        rate:        this period's prices, i.e. the actual cost
 *   volume = LV − L0, model_mix = LM − LV, token_shape = LS − LM, rate = L1 − LS
 * </pre>
 * A model absent from the reference has no reference cost per request or price: its own
 * ({@code C1[m] / r1[m]}, {@code c1[m,k] / t1[m,k]}) is used, so its whole cost lands in the model mix;
 * likewise a token class the reference model never used is priced at the scored price, so its
 * appearance is token shape. A change in fees per request is rate. When the reference has no
 * requests at all, the whole change is volume.
 *
 * <p>Exactness: the levels are computed with 34 significant digits; the expected cost
 * ({@code L0}, or {@code LV} at current volume) is rounded once to {@link Money#SCALE} places
 * (HALF_EVEN), the actual cost is an exact sum, so {@code impact = actual − expected} is exact.
 * Volume, model mix and token shape are each rounded to 12 places; <b>rate takes the rounding
 * remainder</b> ({@code rate = impact − volume − model_mix − token_shape}, within 2e-12 USD of
 * its unrounded value), so the four always sum to the impact exactly.
 *
 * <p>{@link #atCurrentVolume}: for the per-request kinds (unit cost, token shape, cache) the question
 * is what the change in cost per request costs at this period's volume, so the expected cost is
 * {@code LV} and the volume driver is zero.
 */
public final class Drivers {

    private static final MathContext WORK = MathContext.DECIMAL128;

    private Drivers() {
    }

    /**
     * The decomposition, all amounts at {@link Money#SCALE}.
     *
     * @param mixFrom       the model whose share of requests fell most, or null
     * @param mixTo         the model whose share of requests rose most, or null
     * @param shapeClass    the token class ({@link Usage#TOKEN_CLASSES} index) with the largest shape effect, or -1
     * @param shapeByClass  the unrounded shape effect per token class (for naming; they sum to the shape driver before rounding)
     * @param costAtCurrentVolume {@code LV}: the reference cost per request times this period's requests, the base of "points"
     */
    public record Decomposition(BigDecimal expected, BigDecimal actual, BigDecimal impact,
                                BigDecimal volume, BigDecimal modelMix, BigDecimal tokenShape, BigDecimal rate,
                                BigDecimal referenceRequests, long actualRequests,
                                String mixFrom, String mixTo, int shapeClass, BigDecimal[] shapeByClass,
                                BigDecimal costAtCurrentVolume) {

        /** {@code driver} as percentage points of the reference cost at this period's volume (NaN when that is zero). */
        public double points(BigDecimal driver) {
            return costAtCurrentVolume.signum() == 0 ? Double.NaN
                    : driver.doubleValue() / costAtCurrentVolume.doubleValue() * 100;
        }

        /** Adds two decompositions of consecutive periods: every amount is a sum, so the sum still adds up. */
        public Decomposition plus(Decomposition o) {
            BigDecimal[] byClass = new BigDecimal[shapeByClass.length];
            for (int k = 0; k < byClass.length; k++) {
                byClass[k] = shapeByClass[k].add(o.shapeByClass[k]);
            }
            int largest = largestClass(byClass);
            return new Decomposition(expected.add(o.expected), actual.add(o.actual), impact.add(o.impact),
                    volume.add(o.volume), modelMix.add(o.modelMix), tokenShape.add(o.tokenShape), rate.add(o.rate),
                    referenceRequests.add(o.referenceRequests), actualRequests + o.actualRequests,
                    o.mixFrom != null ? o.mixFrom : mixFrom, o.mixTo != null ? o.mixTo : mixTo,
                    largest, byClass, costAtCurrentVolume.add(o.costAtCurrentVolume));
        }
    }

    /**
     * @param reference      per model, the sum of the reference hours
     * @param referenceHours how many hours {@code reference} sums ({@code n} above, at least 1)
     * @param actual         per model, the scored period
     * @param atCurrentVolume expected = {@code LV}, volume driver zero (see the class comment)
     */
    public static Decomposition decompose(Map<String, Usage> reference, int referenceHours,
                                          Map<String, Usage> actual, boolean atCurrentVolume) {
        if (referenceHours < 1) {
            throw new IllegalArgumentException("referenceHours must be at least 1");
        }
        Usage ref = total(reference);
        Usage now = total(actual);
        BigDecimal n = BigDecimal.valueOf(referenceHours);
        BigDecimal l0 = ref.totalCost().divide(n, WORK);
        BigDecimal l1 = now.totalCost();
        BigDecimal r0 = BigDecimal.valueOf(ref.requests());
        BigDecimal r1 = BigDecimal.valueOf(now.requests());
        BigDecimal[] byClass = new BigDecimal[Usage.TOKEN_CLASSES.length];
        java.util.Arrays.fill(byClass, BigDecimal.ZERO);

        BigDecimal lv;
        BigDecimal lm;
        BigDecimal ls;
        if (ref.requests() == 0) {
            lv = l1;
            lm = l1;
            ls = l1;
        } else {
            lv = r1.multiply(ref.totalCost(), WORK).divide(r0, WORK);
            lm = BigDecimal.ZERO;
            ls = BigDecimal.ZERO;
            for (Map.Entry<String, Usage> e : actual.entrySet()) {
                Usage a = e.getValue();
                Usage b = reference.get(e.getKey());
                if (b == null || b.requests() == 0) {
                    lm = lm.add(a.totalCost());
                    ls = ls.add(a.totalCost());
                    continue;
                }
                BigDecimal ra = BigDecimal.valueOf(a.requests());
                BigDecimal rb = BigDecimal.valueOf(b.requests());
                lm = lm.add(ra.multiply(b.totalCost(), WORK).divide(rb, WORK), WORK);
                BigDecimal shaped = ra.multiply(b.feesCost(), WORK).divide(rb, WORK);
                for (int k = 0; k < Usage.TOKEN_CLASSES.length; k++) {
                    long ta = a.tokens(k);
                    long tb = b.tokens(k);
                    BigDecimal price = tb > 0 ? b.cost(k).divide(BigDecimal.valueOf(tb), WORK)
                            : ta > 0 ? a.cost(k).divide(BigDecimal.valueOf(ta), WORK) : BigDecimal.ZERO;
                    shaped = shaped.add(BigDecimal.valueOf(ta).multiply(price, WORK), WORK);
                    // The class's shape effect: this period's tokens minus the reference tokens per request scaled to this period's requests.
                    BigDecimal expectedTokens = ra.multiply(BigDecimal.valueOf(tb), WORK).divide(rb, WORK);
                    byClass[k] = byClass[k].add(BigDecimal.valueOf(ta).subtract(expectedTokens, WORK).multiply(price, WORK), WORK);
                }
                ls = ls.add(shaped, WORK);
            }
        }

        BigDecimal expected = money(atCurrentVolume ? lv : l0);
        BigDecimal actualCost = l1.setScale(Money.SCALE, RoundingMode.UNNECESSARY);
        BigDecimal impact = actualCost.subtract(expected);
        BigDecimal volume = atCurrentVolume ? zero() : money(lv.subtract(l0, WORK));
        BigDecimal mix = money(lm.subtract(lv, WORK));
        BigDecimal shape = money(ls.subtract(lm, WORK));
        BigDecimal rate = impact.subtract(volume).subtract(mix).subtract(shape);

        String[] shift = mixShift(reference, ref.requests(), actual, now.requests());
        return new Decomposition(expected, actualCost, impact, volume, mix, shape, rate,
                r0.divide(n, WORK), now.requests(), shift[0], shift[1], largestClass(byClass), byClass, money(lv));
    }

    /** The sum of every model's usage. */
    public static Usage total(Map<String, Usage> perModel) {
        Usage sum = Usage.NONE;
        for (Usage u : perModel.values()) {
            sum = sum.plus(u);
        }
        return sum;
    }

    private static String[] mixShift(Map<String, Usage> reference, long refRequests, Map<String, Usage> actual, long nowRequests) {
        if (refRequests == 0 || nowRequests == 0) {
            return new String[2];
        }
        SortedMap<String, Double> change = new TreeMap<>();
        reference.forEach((m, u) -> change.merge(m, -(double) u.requests() / refRequests, Double::sum));
        actual.forEach((m, u) -> change.merge(m, (double) u.requests() / nowRequests, Double::sum));
        String from = null;
        String to = null;
        double fell = -0.02;
        double rose = 0.02;
        // Shifts under two points of share are noise, not a mix change worth naming.
        for (Map.Entry<String, Double> e : change.entrySet()) {
            if (e.getValue() < fell) {
                fell = e.getValue();
                from = e.getKey();
            }
            if (e.getValue() > rose) {
                rose = e.getValue();
                to = e.getKey();
            }
        }
        return new String[] {from, to};
    }

    private static int largestClass(BigDecimal[] byClass) {
        int largest = -1;
        BigDecimal size = BigDecimal.ZERO;
        for (int k = 0; k < byClass.length; k++) {
            if (byClass[k].abs().compareTo(size) > 0) {
                size = byClass[k].abs();
                largest = k;
            }
        }
        return largest;
    }

    private static BigDecimal money(BigDecimal v) {
        return v.setScale(Money.SCALE, Money.ROUNDING);
    }

    private static BigDecimal zero() {
        return Money.ZERO.toBigDecimal();
    }
}
