package dev.tokenledger.forecast;

import java.util.Arrays;

/** The robust statistics the forecaster is built from: medians, quantiles, the Theil–Sen slope. */
final class Robust {

    private Robust() {
    }

    static double median(double[] values, int from, int to) {
        double[] sorted = Arrays.copyOfRange(values, from, to);
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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
