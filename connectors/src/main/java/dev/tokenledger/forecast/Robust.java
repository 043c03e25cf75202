package dev.tokenledger.forecast;

import java.util.Arrays;

/** The robust statistics the forecaster is built from: medians, quantiles, the Theil–Sen slope. */
final class Robust {

    private Robust() {
    }

    /** The median of {@code values[from, to)}, by selection (no full sort); NaN when empty. */
    static double median(double[] values, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return Double.NaN;
        }
        double[] copy = Arrays.copyOfRange(values, from, to);
        double upper = select(copy, n / 2);
        if (n % 2 == 1) {
            return upper;
        }
        // After selecting n/2, everything left of it is smaller or equal: the lower middle is their maximum.
        double lower = copy[0];
        for (int i = 1; i < n / 2; i++) {
            lower = Math.max(lower, copy[i]);
        }
        return (lower + upper) / 2;
    }

    /** The {@code k}-th smallest of {@code a} (0-based), partitioning {@code a} in place around it (Hoare). */
    private static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    static double median(double[] values) {
        return median(values, 0, values.length);
    }

    /** The {@code p} quantile with linear interpolation between order statistics (type 7, as R and numpy default). */
    static double quantile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 1) {
            return sorted[0];
        }
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The median of the slopes of every pair of points (Theil–Sen): a straight-line trend that a few outliers (an
     * outage day, a spike) cannot pull, unlike least squares. 0 for fewer than two points.
     */
    static double theilSenSlope(double[] x, double[] y, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return 0;
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = from; i < to; i++) {
            for (int j = i + 1; j < to; j++) {
                if (x[j] != x[i]) {
                    slopes[k++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        return k == 0 ? 0 : median(slopes, 0, k);
    }
}
