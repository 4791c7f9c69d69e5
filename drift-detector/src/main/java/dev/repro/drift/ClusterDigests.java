package dev.repro.drift;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The artifact digest each cluster of one environment runs (clusters deployed by a mutable
 * reference, with no digest, are left out), to compare the clusters with each other.
 */
public final class ClusterDigests {

    private final Map<String, String> byCluster;
    /** The digest most clusters run ({@link #majorityOf}), counted when {@link #outOfStep} first needs it. */
    private String majority;
    private boolean majorityCounted;

    public ClusterDigests(Map<String, String> byCluster) {
        this.byCluster = new HashMap<>(byCluster);
        this.byCluster.values().removeIf(Objects::isNull);
    }

    /** Whether {@code cluster} runs a digest and another cluster runs a different one. */
    public boolean differsFromAnother(String cluster) {
        String own = byCluster.get(cluster);
        return own != null && byCluster.values().stream().anyMatch(d -> !d.equals(own));
    }

    /**
     * Whether {@code cluster} is out of step with its environment: the clusters run different
     * digests and this one does not run the digest most of them run (with no single such digest,
     * every cluster is out of step, as there is no telling which one is behind).
     */
    public boolean outOfStep(String cluster) {
        if (!differsFromAnother(cluster)) {
            return false;
        }
        if (!majorityCounted) {
            majority = majorityOf(byCluster);
            majorityCounted = true;
        }
        return !byCluster.get(cluster).equals(majority);
    }

    /** The digest run by more clusters than any other digest; null when there is no such single digest. */
    private static String majorityOf(Map<String, String> byCluster) {
        Map<String, Integer> counts = new HashMap<>();
        byCluster.values().forEach(d -> counts.merge(d, 1, Integer::sum));
        String best = null;
        int bestCount = 0;
        boolean tie = false;
        for (Map.Entry<String, Integer> e : new TreeMap<>(counts).entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
                tie = false;
            } else if (e.getValue() == bestCount) {
                tie = true;
            }
        }
        return tie ? null : best;
    }
}
