package dev.repro.sli;

import java.util.List;

/**
 * What one entity (an event, a recipe, a replay, a suite at a commit, an incident) contributes to
 * one SLI: at event time {@code time}, {@code good} of {@code total} (0 or 1 each), an optional
 * value for the value SLIs, in each of {@code scopes}. An event's contribution is counted once
 * ({@code replaceable} false: a duplicate changes nothing); a verdict's or a suite's replaces its
 * previous one ({@code replaceable} true).
 */
public record Contribution(Sli sli, String entity, boolean replaceable, long time, long good, long total, Double value,
        List<String> scopes) {

    public Contribution {
        scopes = List.copyOf(scopes);
    }

    /** The ledger key: one per SLI and entity. */
    public String ledgerKey() {
        return sli.id() + "|" + entity;
    }

    /** Whether {@code other} counts exactly the same. */
    public boolean sameAs(Contribution other) {
        return other != null && time == other.time && good == other.good && total == other.total
                && java.util.Objects.equals(value, other.value) && scopes.equals(other.scopes);
    }
}
