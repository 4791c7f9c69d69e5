package dev.repro.topics;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions records keyed by target ({@code service/environment[/cluster]}) by their
 * {@code service/environment} (murmur2, like Kafka's default partitioner, of its UTF-8 bytes), so
 * every cluster of one environment, and the desired state declared for all of them, land in one
 * partition: the drift detector compares clusters of one environment with each other.
 */
public final class EnvironmentPartitioner<V> implements StreamPartitioner<String, V> {

    /** {@code service/environment} of a target key: everything before the second {@code '/'}. */
    public static String environmentOf(String targetKey) {
        int first = targetKey.indexOf('/');
        int second = first < 0 ? -1 : targetKey.indexOf('/', first + 1);
        return second < 0 ? targetKey : targetKey.substring(0, second);
    }

    /** The partition of {@code targetKey} among {@code numPartitions}. */
    public static int partition(String targetKey, int numPartitions) {
        byte[] environment = environmentOf(targetKey).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(environment)) % numPartitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        return Optional.of(Set.of(partition(key, numPartitions)));
    }
}
