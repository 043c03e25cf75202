package dev.tokenledger.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Picks one of a few values with given relative weights; a linear scan, fast for short lists. */
final class WeightedChoice<T> {

    private final Object[] values;
    private final double[] cumulative;

    private WeightedChoice(List<T> values, List<Double> weights) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        this.values = values.toArray();
        this.cumulative = new double[weights.size()];
        double total = 0;
        for (int i = 0; i < cumulative.length; i++) {
            if (!(weights.get(i) > 0)) {
                throw new IllegalArgumentException("weights must be positive");
            }
            total += weights.get(i);
            cumulative[i] = total;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= total;
        }
    }

    static <T> Builder<T> builder() {
        return new Builder<>();
    }

    T pick(SplittableRandom random) {
        return get(pickIndex(random));
    }

    int pickIndex(SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    @SuppressWarnings("unchecked")
    T get(int index) {
        return (T) values[index];
    }

    @SuppressWarnings("unchecked")
    List<T> values() {
        List<T> list = new ArrayList<>();
        for (Object value : values) {
            list.add((T) value);
        }
        return list;
    }

    static final class Builder<T> {
        private final List<T> values = new ArrayList<>();
        private final List<Double> weights = new ArrayList<>();

        Builder<T> add(T value, double weight) {
            values.add(value);
            weights.add(weight);
            return this;
        }

        WeightedChoice<T> build() {
            return new WeightedChoice<>(values, weights);
        }
    }
}
