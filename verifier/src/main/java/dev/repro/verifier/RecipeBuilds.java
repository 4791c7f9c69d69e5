package dev.repro.verifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import dev.repro.schema.BuildEvent;

/**
 * The distinct builds of one recipe seen so far, in event-time order (ties by source, then id),
 * whatever order they arrived in. A build whose event id was already seen from the same source
 * is a duplicate and is not added: ids are unique per source.
 *
 * <p>Each build keeps its contract encoding once known (the bytes it was read from, from the
 * input topic or the store), so writing the recipe back to its store copies its builds' bytes
 * instead of encoding every build again on every change.
 */
public final class RecipeBuilds {

    static final Comparator<BuildEvent> EVENT_TIME_ORDER = Comparator.comparing(BuildEvent::getTime)
            .thenComparing(BuildEvent::getSource)
            .thenComparing(BuildEvent::getId);

    private final List<BuildEvent> builds;
    /** The builds' encodings, in the same order; null where not known yet. */
    private final List<byte[]> encodings;

    public RecipeBuilds(List<BuildEvent> builds) {
        this(builds, Collections.nCopies(builds.size(), null));
    }

    /** {@code encodings.get(i)} is the encoding of {@code builds.get(i)}, or null. */
    RecipeBuilds(List<BuildEvent> builds, List<byte[]> encodings) {
        if (builds.size() != encodings.size()) {
            throw new IllegalArgumentException(builds.size() + " builds but " + encodings.size() + " encodings");
        }
        this.builds = new ArrayList<>(builds.size() + 1);
        this.encodings = new ArrayList<>(builds.size() + 1);
        for (int i = 0; i < builds.size(); i++) {
            insert(builds.get(i), encodings.get(i));
        }
    }

    public static RecipeBuilds empty() {
        return new RecipeBuilds(List.of());
    }

    /** Adds {@code build} unless it is a duplicate; returns whether it was added. */
    public boolean add(BuildEvent build) {
        return add(build, null);
    }

    /** Adds {@code build}, whose encoding is {@code encoded} (null when not at hand), unless it is a duplicate. */
    public boolean add(BuildEvent build, byte[] encoded) {
        if (contains(build.getSource(), build.getId())) {
            return false;
        }
        insert(build, encoded);
        return true;
    }

    /** Whether a build with this id from this source is already here. */
    public boolean contains(String source, String id) {
        for (BuildEvent b : builds) {
            if (b.getId().equals(id) && b.getSource().equals(source)) {
                return true;
            }
        }
        return false;
    }

    public List<BuildEvent> builds() {
        return Collections.unmodifiableList(builds);
    }

    /** Every build's encoding in order, encoding with {@code encoder} (and keeping) those not known yet. */
    List<byte[]> encodings(Function<BuildEvent, byte[]> encoder) {
        for (int i = 0; i < builds.size(); i++) {
            if (encodings.get(i) == null) {
                encodings.set(i, encoder.apply(builds.get(i)));
            }
        }
        return Collections.unmodifiableList(encodings);
    }

    public boolean isEmpty() {
        return builds.isEmpty();
    }

    /** Event time (ms) of the earliest build. */
    public long firstSeen() {
        return builds.get(0).getTime().toEpochMilli();
    }

    /** Event time (ms) of the latest build. */
    public long lastSeen() {
        return builds.get(builds.size() - 1).getTime().toEpochMilli();
    }

    private void insert(BuildEvent build, byte[] encoded) {
        int at = builds.size();
        while (at > 0 && EVENT_TIME_ORDER.compare(builds.get(at - 1), build) > 0) {
            at--;
        }
        builds.add(at, build);
        encodings.add(at, encoded);
    }
}
