package dev.repro.sli;

import java.util.EnumMap;
import java.util.Map;

/**
 * The rolling windows of one SLI over one scope: the running sum of every window, where the
 * windows end, the latest event time seen, and the burn-rate tier last reported.
 * Mutable; {@link SlidingWindows} updates it.
 */
public final class ScopeState {

    private long asOf;
    private long end;
    private BurnTier firingTier;
    private final EnumMap<SliWindow, Counts> sums;

    public ScopeState() {
        this(Long.MIN_VALUE, Long.MIN_VALUE, null, new EnumMap<>(SliWindow.class));
    }

    public ScopeState(long asOf, long end, BurnTier firingTier, EnumMap<SliWindow, Counts> sums) {
        this.asOf = asOf;
        this.end = end;
        this.firingTier = firingTier;
        this.sums = sums;
        for (SliWindow w : SliWindow.values()) {
            this.sums.computeIfAbsent(w, k -> new Counts());
        }
    }

    /** Latest event time of a contribution counted here (epoch ms); {@code Long.MIN_VALUE} when none yet. */
    public long asOf() {
        return asOf;
    }

    /** Exclusive end of every window (a bucket boundary); {@code Long.MIN_VALUE} before the first contribution. */
    public long end() {
        return end;
    }

    public boolean started() {
        return end != Long.MIN_VALUE;
    }

    public BurnTier firingTier() {
        return firingTier;
    }

    public Counts sum(SliWindow window) {
        return sums.get(window);
    }

    public Map<SliWindow, Counts> sums() {
        return sums;
    }

    void asOf(long asOf) {
        this.asOf = asOf;
    }

    void end(long end) {
        this.end = end;
    }

    public void firingTier(BurnTier tier) {
        this.firingTier = tier;
    }
}
