package dev.repro.verifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import dev.repro.schema.BuildEvent;

/**
 * The distinct builds of one recipe seen so far, in event-time order (ties by source, then id),
 * whatever order they arrived in. A build whose event id was already seen from the same source
 * is a duplicate and is not added: ids are unique per source. Where the builds are kept is
 * {@link RecipeStore}'s business.
 */
public final class RecipeBuilds {

    static final Comparator<BuildEvent> EVENT_TIME_ORDER = Comparator.comparing(BuildEvent::getTime)
            .thenComparing(BuildEvent::getSource)
            .thenComparing(BuildEvent::getId);

    private final List<BuildEvent> builds;

    /** The distinct builds among {@code builds}, in any order. */
    public RecipeBuilds(List<BuildEvent> builds) {
        this.builds = new ArrayList<>(builds.size() + 1);
        builds.forEach(this::add);
    }

    public static RecipeBuilds empty() {
        return new RecipeBuilds(List.of());
    }

    /** Adds {@code build} unless it is a duplicate; returns whether it was added. */
    public boolean add(BuildEvent build) {
        if (contains(build.getSource(), build.getId())) {
            return false;
        }
        int at = builds.size();
        while (at > 0 && EVENT_TIME_ORDER.compare(builds.get(at - 1), build) > 0) {
            at--;
        }
        builds.add(at, build);
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
}
