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
        int first = key.indexOf('/');
        if (first < 0) {
            return Optional.empty();
        }
        int second = key.indexOf('/', first + 1);
        String service = key.substring(0, first);
        String environment = key.substring(first + 1, second < 0 ? key.length() : second);
        String cluster = second < 0 ? null : key.substring(second + 1);
        if (service.isEmpty() || environment.isEmpty() || (cluster != null && (cluster.isEmpty() || cluster.indexOf('/') >= 0))) {
            return Optional.empty();
        }
        return Optional.of(new TargetKey(service, environment, cluster));
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
