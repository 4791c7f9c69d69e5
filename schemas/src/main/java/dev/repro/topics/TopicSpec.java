package dev.repro.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic as it must exist on the cluster: full name, value type, partitions, replication
 * and the topic configs. Compacted topics keep the broker's compaction defaults
 * ({@code min.compaction.lag.ms}, {@code segment.ms}); delete topics set {@code retention.ms}.
 */
public record TopicSpec(
        TopicId id,
        String name,
        Class<? extends SpecificRecord> valueType,
        int partitions,
        short replicationFactor,
        String cleanupPolicy,
        Optional<Duration> retention) {

    private static final Set<String> CLEANUP_POLICIES =
            Set.of(TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.CLEANUP_POLICY_COMPACT);

    public TopicSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(retention, "retention");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor of " + name + " must be at least 1, was " + replicationFactor);
        }
        if (!CLEANUP_POLICIES.contains(cleanupPolicy)) {
            throw new IllegalArgumentException("cleanup policy of " + name + " must be one of " + CLEANUP_POLICIES
                    + ", was " + cleanupPolicy);
        }
        if (retention.filter(r -> r.isNegative() || r.isZero()).isPresent()) {
            throw new IllegalArgumentException("retention of " + name + " must be positive, was " + retention.get());
        }
    }

    /** Whether the topic keeps the latest value per key. */
    public boolean compacted() {
        return TopicConfig.CLEANUP_POLICY_COMPACT.equals(cleanupPolicy);
    }

    /** The topic configs to create it with: {@code cleanup.policy}, and {@code retention.ms} when set. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
        retention.ifPresent(r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
        return Map.copyOf(configs);
    }

    /** The Admin client's request to create this topic. */
    public NewTopic newTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs());
    }
}
