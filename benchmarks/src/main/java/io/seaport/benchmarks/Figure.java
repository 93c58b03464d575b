package io.seaport.benchmarks;

import java.util.List;

/**
 * Returns one measured figure as BENCHMARKS.md shows it.
 *
 * @param section the table it belongs to
 * @param name what was measured
 * @param unit the unit of the samples (ms, µs, ns, ops/s, MiB/s, bytes...)
 * @param stats the summary of the samples
 * @param target the goal in the same unit, or NaN for none
 * @param higherIsBetter whether the goal is a floor (throughputs) rather than a ceiling (latencies)
 * @param note method details or what limits it
 */
record Figure(String section, String name, String unit, Stats stats, double target, boolean higherIsBetter,
        String note) {

    /** Returns a figure without a target. */
    static Figure of(String section, String name, String unit, List<Double> samples, String note) {
        return new Figure(section, name, unit, Stats.of(samples), Double.NaN, false, note);
    }

    /** Returns a figure whose median is compared with a ceiling. */
    static Figure atMost(String section, String name, String unit, List<Double> samples, double target,
            String note) {
        return new Figure(section, name, unit, Stats.of(samples), target, false, note);
    }

    /** Returns a figure whose median is compared with a floor. */
    static Figure atLeast(String section, String name, String unit, List<Double> samples, double target,
            String note) {
        return new Figure(section, name, unit, Stats.of(samples), target, true, note);
    }

    /** Returns "met", "missed by x" or "" (no target), judged on the median. */
    String verdict() {
        if (Double.isNaN(target) || stats.n() == 0) {
            return "";
        }
        double m = stats.median();
        if (higherIsBetter) {
            return m >= target ? "met (" + Report.num(m / target) + "x the goal)"
                    : "MISSED: " + Report.num(m / target) + "x the goal (" + Report.num(target / m) + "x short)";
        }
        return m <= target ? "met (" + Report.num(m / target) + "x the goal)"
                : "MISSED: " + Report.num(m / target) + "x the goal";
    }

    /** Returns the target as text, or "". */
    String targetText() {
        if (Double.isNaN(target)) {
            return "";
        }
        return (higherIsBetter ? ">= " : "<= ") + Report.num(target) + " " + unit;
    }
}
