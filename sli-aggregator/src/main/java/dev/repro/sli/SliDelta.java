package dev.repro.sli;

import java.util.List;

/**
 * The changes one input record makes to one SLI over one scope, applied together so a
 * replacement (retract the old contribution, add the new) is never seen half-done.
 * An update of the {@code sli-updates-by-key} repartition topic, keyed {@code sli/scope}.
 */
public record SliDelta(Sli sli, String scope, List<SlidingWindows.Entry> entries) {

    public SliDelta {
        entries = List.copyOf(entries);
    }

    public String key() {
        return sli.id() + "/" + scope;
    }
}
