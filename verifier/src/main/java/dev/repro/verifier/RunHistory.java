package dev.repro.verifier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.repro.schema.RunEvent;

/**
 * What the verifier knows of one original run: its event (once seen) and every distinct replay
 * of it, each with where its judgement stands. A run event whose id was already seen from the
 * same source is a duplicate: ids are unique per source.
 */
public final class RunHistory {

    /** Where a replay's judgement stands. */
    public enum Judgement {
        /** No original yet; ORIGINAL_MISSING once the wait ends. */
        AWAITING_ORIGINAL,
        /** Declared ORIGINAL_MISSING; judged again if the original still turns up. */
        ORIGINAL_MISSING,
        /** Judged against the original, or REPLAY_FAILED. */
        JUDGED
    }

    /** One replay and its judgement. */
    public record Replay(RunEvent run, Judgement judgement) {
    }

    static final Comparator<RunEvent> EVENT_TIME_ORDER = Comparator.comparing(RunEvent::getTime)
            .thenComparing(RunEvent::getSource)
            .thenComparing(RunEvent::getId);

    private RunEvent original;
    private final List<RunEvent> ignoredOriginals;
    private final List<Replay> replays;

    public RunHistory(RunEvent original, List<RunEvent> ignoredOriginals, List<Replay> replays) {
        this.original = original;
        this.ignoredOriginals = new ArrayList<>(ignoredOriginals);
        this.replays = new ArrayList<>(replays);
        this.replays.sort(Comparator.comparing(Replay::run, EVENT_TIME_ORDER));
    }

    public static RunHistory empty() {
        return new RunHistory(null, List.of(), List.of());
    }

    /** Whether an event with this id from this source was already seen. */
    public boolean contains(String source, String id) {
        return same(original, source, id)
                || ignoredOriginals.stream().anyMatch(r -> same(r, source, id))
                || replays.stream().anyMatch(r -> same(r.run(), source, id));
    }

    public RunEvent original() {
        return original;
    }

    /**
     * Sets the original; returns false (and only remembers its id) when another original event
     * for this run id was seen first: the first one stays the reference.
     */
    public boolean setOriginal(RunEvent run) {
        if (original != null) {
            ignoredOriginals.add(run);
            return false;
        }
        original = run;
        return true;
    }

    /** Every replay, in event-time order. */
    public List<Replay> replays() {
        return List.copyOf(replays);
    }

    public List<RunEvent> ignoredOriginals() {
        return List.copyOf(ignoredOriginals);
    }

    public void addReplay(RunEvent run, Judgement judgement) {
        replays.add(new Replay(run, judgement));
        replays.sort(Comparator.comparing(Replay::run, EVENT_TIME_ORDER));
    }

    /** Sets the judgement of the replay with this source and id. */
    public void mark(RunEvent run, Judgement judgement) {
        for (int i = 0; i < replays.size(); i++) {
            if (same(replays.get(i).run(), run.getSource(), run.getId())) {
                replays.set(i, new Replay(replays.get(i).run(), judgement));
            }
        }
    }

    /** Event time (ms) of the latest event of this run. */
    public long lastSeen() {
        long last = original == null ? Long.MIN_VALUE : original.getTime().toEpochMilli();
        for (RunEvent r : ignoredOriginals) {
            last = Math.max(last, r.getTime().toEpochMilli());
        }
        for (Replay r : replays) {
            last = Math.max(last, r.run().getTime().toEpochMilli());
        }
        return last;
    }

    private static boolean same(RunEvent run, String source, String id) {
        return run != null && run.getId().equals(id) && run.getSource().equals(source);
    }
}
