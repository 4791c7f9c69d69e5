package dev.repro.sli;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Counts of non-negative values in logarithmic bins, for the value SLIs (max and percentiles).
 * A bin is a double's exponent plus its 10 leading mantissa bits, so a bin spans 2^-10 (≈0.1 %)
 * of its value, and its representative value is its lower edge: exact for values with at most
 * 11 significant bits (any integer below 2048, 60000, 0.25...), within 0.1 % below otherwise.
 * Counts add and subtract exactly, so windows are sums of bucket histograms and retracting a
 * value is exact; the result never depends on the order values arrived in.
 */
public final class Histogram {

    private static final int SHIFT = 52 - 10;

    private final TreeMap<Long, Long> bins;

    public Histogram() {
        this.bins = new TreeMap<>();
    }

    private Histogram(TreeMap<Long, Long> bins) {
        this.bins = bins;
    }

    public static long binOf(double value) {
        double v = Double.isNaN(value) || value <= 0 ? 0.0 : value;
        return Double.doubleToLongBits(v) >>> SHIFT;
    }

    /** The representative (lower edge) of a bin. */
    public static double valueOf(long bin) {
        return Double.longBitsToDouble(bin << SHIFT);
    }

    public void add(double value, long n) {
        addBin(binOf(value), n);
    }

    public void addAll(Histogram other, long sign) {
        other.bins.forEach((bin, n) -> addBin(bin, sign * n));
    }

    void addBin(long bin, long n) {
        long now = bins.getOrDefault(bin, 0L) + n;
        if (now == 0) {
            bins.remove(bin);
        } else {
            bins.put(bin, now);
        }
    }

    public long count() {
        long n = 0;
        for (long c : bins.values()) {
            n += c;
        }
        return n;
    }

    public boolean isEmpty() {
        return bins.isEmpty();
    }

    /** The largest value (its bin's representative); null when empty. */
    public Double max() {
        return bins.isEmpty() ? null : valueOf(bins.lastKey());
    }

    /** Nearest-rank quantile: the value of rank ceil(q·n); null when empty. */
    public Double quantile(double q) {
        long n = count();
        if (n <= 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n - 1e-9));
        long seen = 0;
        for (Map.Entry<Long, Long> e : bins.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return valueOf(e.getKey());
            }
        }
        return valueOf(bins.lastKey());
    }

    /** How many values are at most {@code bound} (by their bin's representative). */
    public long countAtMost(double bound) {
        long n = 0;
        for (Map.Entry<Long, Long> e : bins.entrySet()) {
            if (valueOf(e.getKey()) <= bound) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** The bins, ascending (bin → count), read-only. */
    public NavigableMap<Long, Long> bins() {
        return java.util.Collections.unmodifiableNavigableMap(bins);
    }

    public Histogram copy() {
        return new Histogram(new TreeMap<>(bins));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && h.bins.equals(bins);
    }

    @Override
    public int hashCode() {
        return bins.hashCode();
    }

    @Override
    public String toString() {
        return bins.toString();
    }
}
