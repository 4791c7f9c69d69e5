package dev.repro.alerts.delivery;

import java.util.EnumSet;
import java.util.Set;

import dev.repro.alerts.TargetKind;
import dev.repro.alerts.target.Change;
import dev.repro.streams.DeadLetters;

/**
 * A record read from {@code repro.alerts} that is not yet done: some targets have still to take
 * it, or its dead letter is still being written. Its offset may be committed once it is done and
 * every record before it in its partition is too.
 */
public final class PendingChange {

    private final String key;
    private final byte[] raw;
    private final DeadLetters.Origin origin;
    private final Change change;
    private final EnumSet<TargetKind> outstanding;
    private boolean deadLetterPending;

    /**
     * @param key               the record key
     * @param raw               the record value as read (kept for a dead letter)
     * @param origin            where the record was read
     * @param change            the decoded change; {@code null} when the value could not be decoded
     * @param targets           the targets it must reach
     * @param deadLetterPending whether a dead letter must be written before it is done
     */
    PendingChange(String key, byte[] raw, DeadLetters.Origin origin, Change change, Set<TargetKind> targets,
            boolean deadLetterPending) {
        this.key = key;
        this.raw = raw;
        this.origin = origin;
        this.change = change;
        this.outstanding = targets.isEmpty() ? EnumSet.noneOf(TargetKind.class) : EnumSet.copyOf(targets);
        this.deadLetterPending = deadLetterPending;
    }

    public String key() {
        return key;
    }

    public byte[] raw() {
        return raw;
    }

    public DeadLetters.Origin origin() {
        return origin;
    }

    public long offset() {
        return origin.offset();
    }

    /** The decoded change; {@code null} for an undecodable record. */
    public Change change() {
        return change;
    }

    void deliveredTo(TargetKind target) {
        outstanding.remove(target);
    }

    void deadLettered() {
        deadLetterPending = false;
    }

    boolean done() {
        return outstanding.isEmpty() && !deadLetterPending;
    }
}
