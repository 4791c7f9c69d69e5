package dev.repro.sli;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The rolling event-time windows of every SLI: the dashboard windows 1h, 1d, 7d, 28d and the
 * burn-rate windows 5m, 30m, 2h, 6h, 3d. Each is a whole number of {@link #BUCKET} buckets.
 */
public enum SliWindow {

    M5("5m", Duration.ofMinutes(5)),
    M30("30m", Duration.ofMinutes(30)),
    H1("1h", Duration.ofHours(1)),
    H2("2h", Duration.ofHours(2)),
    H6("6h", Duration.ofHours(6)),
    D1("1d", Duration.ofDays(1)),
    D3("3d", Duration.ofDays(3)),
    D7("7d", Duration.ofDays(7)),
    D28("28d", Duration.ofDays(28));

    /** Width of an event-time bucket: the smallest window. */
    public static final Duration BUCKET = Duration.ofMinutes(5);
    /** The longest window: how long buckets are kept. */
    public static final SliWindow LONGEST = D28;

    private final String label;
    private final Duration length;

    SliWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    public long millis() {
        return length.toMillis();
    }

    public static Optional<SliWindow> byLabel(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
    }

    /** Start of the bucket holding event time {@code t}. */
    public static long bucketOf(long t) {
        return Math.floorDiv(t, BUCKET.toMillis()) * BUCKET.toMillis();
    }
}
