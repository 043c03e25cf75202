package dev.tokenledger.forecast;

/**
 * Where the latest level shift of a series starts (a price change, a model swap, a feature launched to more
 * users): binary segmentation on medians. The best split is the one whose two sides' medians differ most; it is a
 * shift when that difference is at least {@code minShift} and at least {@value #NOISE_MULTIPLE} robust standard
 * deviations of the day-to-day noise (1.4826 x the median absolute deviation from each side's median) divided by
 * the square root of the shorter side's length. The search then repeats on the right side, so the latest shift wins.
 */
final class ChangePoints {

    static final double NOISE_MULTIPLE = 4.5;
    private static final double MAD_TO_SIGMA = 1.4826;

    private ChangePoints() {
    }

    /** The index in {@code [from, to)} where the latest shift starts, or {@code from} when there is none. */
    static int latestShiftStart(double[] x, int from, int to, int minSegment, double minShift) {
        int start = from;
        while (true) {
            int split = significantSplit(x, start, to, minSegment, minShift);
            if (split < 0) {
                return start;
            }
            start = split;
        }
    }

    private static int significantSplit(double[] x, int from, int to, int minSegment, double minShift) {
        int best = -1;
        double bestShift = 0;
        for (int k = from + minSegment; k <= to - minSegment; k++) {
            double shift = Math.abs(Robust.median(x, k, to) - Robust.median(x, from, k));
            if (shift > bestShift) {
                bestShift = shift;
                best = k;
            }
        }
        if (best < 0 || bestShift < minShift) {
            return -1;
        }
        double left = Robust.median(x, from, best);
        double right = Robust.median(x, best, to);
        double[] deviations = new double[to - from];
        for (int i = from; i < to; i++) {
            deviations[i - from] = Math.abs(x[i] - (i < best ? left : right));
        }
        double sigma = MAD_TO_SIGMA * Robust.median(deviations);
        int shorter = Math.min(best - from, to - best);
        return bestShift >= NOISE_MULTIPLE * sigma / Math.sqrt(shorter) ? best : -1;
    }
}
