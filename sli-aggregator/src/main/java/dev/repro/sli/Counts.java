package dev.repro.sli;

/**
 * What one bucket or one window holds for an SLI and scope: good and total counts, and the
 * histogram of values for the value SLIs. Mutable; adding and subtracting are exact.
 */
public final class Counts {

    private long good;
    private long total;
    private final Histogram values;

    public Counts() {
        this(0, 0, new Histogram());
    }

    public Counts(long good, long total, Histogram values) {
        this.good = good;
        this.total = total;
        this.values = values;
    }

    public long good() {
        return good;
    }

    public long total() {
        return total;
    }

    public Histogram values() {
        return values;
    }

    /** Adds one contribution {@code sign} times. */
    public void add(long sign, long goodDelta, long totalDelta, Double value) {
        good += sign * goodDelta;
        total += sign * totalDelta;
        if (value != null) {
            values.add(value, sign);
        }
    }

    public void addAll(Counts other, long sign) {
        good += sign * other.good;
        total += sign * other.total;
        values.addAll(other.values, sign);
    }

    public boolean isEmpty() {
        return good == 0 && total == 0 && values.isEmpty();
    }

    public Counts copy() {
        return new Counts(good, total, values.copy());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c && c.good == good && c.total == total && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(good) * 31 + Long.hashCode(total) * 17 + values.hashCode();
    }

    @Override
    public String toString() {
        return "Counts{good=" + good + ", total=" + total + ", values=" + values + "}";
    }
}
