package dev.repro.drift;

import java.util.Optional;

import dev.repro.topics.EnvironmentPartitioner;

/**
 * A record key of the drift detector's topics: {@code service/environment/cluster} (a deployment,
 * a drift status), or {@code service/environment} (a desired state for every cluster of the
 * environment). Parts are non-empty and hold no {@code '/'}, as ingest enforces.
 *
 * @param cluster the cluster, or {@code null} for a key naming the whole environment
 */
public record TargetKey(String service, String environment, String cluster) {

    /** {@code key} as a deployment key, which always names a cluster. */
    public static Optional<TargetKey> ofDeployment(String key) {
        return of(key).filter(k -> k.cluster() != null);
    }

    /** {@code key} with or without a cluster, as a desired-state key may be. */
    public static Optional<TargetKey> of(String key) {
        if (key == null) {
            return Optional.empty();
        }
        String[] parts = key.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(new TargetKey(parts[0], parts[1], parts.length == 3 ? parts[2] : null));
    }

    /** {@code service/environment}: the key of the state, and what {@link EnvironmentPartitioner} partitions by. */
    public String environmentKey() {
        return service + "/" + environment;
    }

    /** The key as written: {@code service/environment[/cluster]}. */
    @Override
    public String toString() {
        return cluster == null ? environmentKey() : environmentKey() + "/" + cluster;
    }
}
