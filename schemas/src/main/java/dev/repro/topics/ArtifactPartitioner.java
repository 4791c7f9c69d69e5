package dev.repro.topics;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions records keyed by recipe key by the key's artifact name (murmur2, like Kafka's
 * default partitioner, of the name's UTF-8 bytes), so every recipe of one artifact lands in one
 * partition: the verifier's regression check needs the artifact's recipes together, and their
 * verdicts stay in one partition, in the order they were decided.
 */
public final class ArtifactPartitioner<V> implements StreamPartitioner<String, V> {

    /** The partition of {@code recipeKey} among {@code numPartitions}. */
    public static int partition(String recipeKey, int numPartitions) {
        byte[] name = RecipeKey.artifactNameOf(recipeKey).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(name)) % numPartitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        return Optional.of(Set.of(partition(key, numPartitions)));
    }
}
