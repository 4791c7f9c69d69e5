package dev.repro.sli;

import dev.repro.schema.Severity;

/**
 * The four multi-window burn-rate tiers of contract section 8, fastest first: a tier holds when
 * the burn rate is at least its factor over both its long and its short window.
 */
public enum BurnTier {

    FAST_PAGE(1, "14.4", SliWindow.H1, SliWindow.M5, Severity.PAGE),
    SLOW_PAGE(2, "6", SliWindow.H6, SliWindow.M30, Severity.PAGE),
    FAST_TICKET(3, "3", SliWindow.D1, SliWindow.H2, Severity.TICKET),
    SLOW_TICKET(4, "1", SliWindow.D3, SliWindow.H6, Severity.TICKET);

    private final int rank;
    private final java.math.BigDecimal factor;
    private final SliWindow longWindow;
    private final SliWindow shortWindow;
    private final Severity severity;

    BurnTier(int rank, String factor, SliWindow longWindow, SliWindow shortWindow, Severity severity) {
        this.rank = rank;
        this.factor = new java.math.BigDecimal(factor);
        this.longWindow = longWindow;
        this.shortWindow = shortWindow;
        this.severity = severity;
    }

    /** 1 = fastest. */
    public int rank() {
        return rank;
    }

    public java.math.BigDecimal factor() {
        return factor;
    }

    public SliWindow longWindow() {
        return longWindow;
    }

    public SliWindow shortWindow() {
        return shortWindow;
    }

    public Severity severity() {
        return severity;
    }

    /** e.g. {@code 14.4x over 1h and 5m}. */
    public String describe() {
        return factor.toPlainString() + "x over " + longWindow.label() + " and " + shortWindow.label();
    }

    public static BurnTier byRank(int rank) {
        for (BurnTier t : values()) {
            if (t.rank == rank) {
                return t;
            }
        }
        return null;
    }
}
