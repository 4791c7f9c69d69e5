package dev.repro.alerts.delivery;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.repro.alerts.Routing;
import dev.repro.alerts.TargetKind;
import dev.repro.alerts.target.Change;
import dev.repro.schema.Alert;
import dev.repro.streams.DeadLetters;

/**
 * The delivery state of one assigned partition of {@code repro.alerts}; plain bookkeeping, no I/O.
 *
 * <ul>
 *   <li>Every target has its own queue with at most one request in flight, so each target
 *       receives the partition's changes (and so each key's changes) in offset order, and a slow
 *       or dead target does not hold the others back.</li>
 *   <li>The commit offset is that of the oldest record not yet done everywhere: it never moves
 *       past an undelivered record.</li>
 *   <li>Records below {@code replayUntil} (the committed offset at assignment) were delivered by
 *       an earlier owner: they are read again only to learn each key's latest change and which
 *       alerts are open in Alertmanager, never delivered.</li>
 * </ul>
 */
public final class PartitionLane {

    private final long replayUntil;
    private final Routing routing;
    private final ArrayDeque<PendingChange> order = new ArrayDeque<>();
    private final Map<TargetKind, Slot> slots = new EnumMap<>(TargetKind.class);
    private final Map<String, Alert> latest = new HashMap<>();
    private final Map<String, Alert> openAtAlertmanager = new TreeMap<>();
    private long position;
    private boolean revoked;

    /** One target's queue in this partition. */
    private static final class Slot {
        private final ArrayDeque<PendingChange> queue = new ArrayDeque<>();
        private boolean busy;
        private int failures;
        private Instant notBefore = Instant.MIN;
        private boolean keepaliveRequested;
    }

    /**
     * @param replayUntil the committed offset at assignment (0 when none)
     * @param routing     which targets hold which alerts open
     * @param targets     the configured targets
     */
    public PartitionLane(long replayUntil, Routing routing, Set<TargetKind> targets) {
        this.replayUntil = replayUntil;
        this.position = replayUntil;
        this.routing = routing;
        targets.forEach(target -> slots.put(target, new Slot()));
    }

    /** Whether the record at {@code offset} was delivered by an earlier owner and is read only for history. */
    public boolean replaying(long offset) {
        return offset < replayUntil;
    }

    /** Learns {@code alert} from an already delivered record. */
    public void replay(Alert alert) {
        latest.put(alert.getKey(), alert);
        trackAlertmanager(alert);
    }

    /** The latest change of {@code key} read from this partition, {@code null} if none. */
    public Alert latest(String key) {
        return latest.get(key);
    }

    /**
     * Queues a record read at {@code origin} for {@code targets}. {@code change} is {@code null}
     * for a record that is not an alert (a tombstone, or undecodable bytes, which must then be
     * dead-lettered: {@code deadLetter}).
     */
    public PendingChange add(String key, byte[] raw, DeadLetters.Origin origin, Change change, Set<TargetKind> targets,
            boolean deadLetter) {
        PendingChange pending = new PendingChange(key, raw, origin, change, targets, deadLetter);
        if (change != null) {
            latest.put(change.alert().getKey(), change.alert());
        }
        position = Math.max(position, origin.offset() + 1);
        order.add(pending);
        for (TargetKind target : targets) {
            slots.get(target).queue.add(pending);
        }
        popDone();
        return pending;
    }

    /** The next change for {@code target}, when it has none in flight and its backoff has passed. */
    public Optional<PendingChange> next(TargetKind target, Instant now) {
        Slot slot = slots.get(target);
        if (slot.busy || now.isBefore(slot.notBefore)) {
            return Optional.empty();
        }
        return Optional.ofNullable(slot.queue.peekFirst());
    }

    /** Marks a request to {@code target} in flight. */
    public void sending(TargetKind target) {
        slots.get(target).busy = true;
    }

    /**
     * {@code target} took {@code pending}: the next change can go.
     *
     * @return how many attempts in a row had failed before this one
     */
    public int delivered(TargetKind target, PendingChange pending) {
        int failures = done(target, pending);
        if (target == TargetKind.ALERTMANAGER) {
            trackAlertmanager(pending.change().alert());
        }
        return failures;
    }

    /**
     * {@code target} refused {@code pending} and its dead letter is written: the next change can go.
     * Alertmanager's state of the key is unknown now, so the key is no longer kept alive there.
     */
    public void refused(TargetKind target, PendingChange pending) {
        done(target, pending);
        if (target == TargetKind.ALERTMANAGER) {
            openAtAlertmanager.remove(pending.change().alert().getKey());
        }
    }

    private int done(TargetKind target, PendingChange pending) {
        Slot slot = slots.get(target);
        if (slot.queue.peekFirst() != pending) {
            throw new IllegalStateException("delivered out of order to " + target.id() + ": offset " + pending.offset());
        }
        slot.queue.removeFirst();
        int failures = slot.failures;
        slot.busy = false;
        slot.failures = 0;
        slot.notBefore = Instant.MIN;
        pending.deliveredTo(target);
        popDone();
        return failures;
    }

    /** The attempt in flight to {@code target} failed; the next may start at {@code retryAt}. */
    public void failed(TargetKind target, Instant retryAt) {
        Slot slot = slots.get(target);
        slot.busy = false;
        slot.failures++;
        slot.notBefore = retryAt;
    }

    /** How many attempts to {@code target} failed in a row. */
    public int failures(TargetKind target) {
        return slots.get(target).failures;
    }

    /** The dead letter of an undecodable record is written. */
    public void deadLettered(PendingChange pending) {
        pending.deadLettered();
        popDone();
    }

    /** Asks for the alerts open in Alertmanager to be sent again, if there are any. */
    public void requestKeepalive() {
        Slot slot = slots.get(TargetKind.ALERTMANAGER);
        if (slot != null && !openAtAlertmanager.isEmpty()) {
            slot.keepaliveRequested = true;
        }
    }

    /** Whether a keepalive is requested, Alertmanager is free and its backoff has passed, and some alert is open. */
    public boolean keepaliveDue(Instant now) {
        Slot slot = slots.get(TargetKind.ALERTMANAGER);
        return slot != null && slot.keepaliveRequested && !slot.busy && !now.isBefore(slot.notBefore)
                && !openAtAlertmanager.isEmpty();
    }

    /** The alerts Alertmanager holds open from this partition, by key. */
    public Collection<Alert> openAtAlertmanager() {
        return List.copyOf(openAtAlertmanager.values());
    }

    /** Alertmanager took the keepalive in flight (or refused it: it is not sent again before the next interval). */
    public void keepaliveSent() {
        Slot slot = slots.get(TargetKind.ALERTMANAGER);
        slot.busy = false;
        slot.failures = 0;
        slot.notBefore = Instant.MIN;
        slot.keepaliveRequested = false;
    }

    /** The offset to commit: the oldest record not done, or the next to read when all are. */
    public long commitOffset() {
        PendingChange oldest = order.peekFirst();
        return oldest != null ? oldest.offset() : position;
    }

    /** Records read and not yet done. */
    public int pending() {
        return order.size();
    }

    /** Changes queued for {@code target}, the one in flight included. */
    public int pending(TargetKind target) {
        return slots.get(target).queue.size();
    }

    /**
     * When the next request may start: the earliest moment a target without a request in flight
     * has a change (or a keepalive) waiting may try ({@link Instant#MIN}: at once, it has not failed);
     * empty when nothing waits.
     */
    public Optional<Instant> nextAttempt() {
        return slots.values().stream()
                .filter(s -> !s.busy && (!s.queue.isEmpty() || s.keepaliveRequested && !openAtAlertmanager.isEmpty()))
                .map(s -> s.notBefore).min(Instant::compareTo);
    }

    /** Whether a request to some target is in flight. */
    public boolean busy() {
        return slots.values().stream().anyMatch(s -> s.busy);
    }

    /** The partition was taken away: answers still arriving for it are ignored. */
    public void revoke() {
        revoked = true;
    }

    public boolean revoked() {
        return revoked;
    }

    private void trackAlertmanager(Alert alert) {
        if (routing.openAt(TargetKind.ALERTMANAGER, alert)) {
            openAtAlertmanager.put(alert.getKey(), alert);
        } else {
            openAtAlertmanager.remove(alert.getKey());
        }
    }

    private void popDone() {
        while (!order.isEmpty() && order.peekFirst().done()) {
            order.removeFirst();
        }
    }
}
