package io.seaport.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Returns the summary of one figure's samples: count, median, p99 (nearest rank), min and max.
 *
 * @param n how many samples
 * @param median the middle sample (mean of the two middle ones for an even count)
 * @param p99 the sample at rank ceil(0.99 n)
 * @param min the smallest sample
 * @param max the largest sample
 */
record Stats(int n, double median, double p99, double min, double max) {

    /** Returns the summary of {@code samples}; all NaN if there are none. */
    static Stats of(List<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        int rank = (int) Math.ceil(0.99 * n) - 1;
        return new Stats(n, median, sorted[Math.max(0, rank)], sorted[0], sorted[n - 1]);
    }

    /** Returns the summary of {@code samples}. */
    static Stats of(double... samples) {
        return of(Arrays.stream(samples).boxed().toList());
    }
}
