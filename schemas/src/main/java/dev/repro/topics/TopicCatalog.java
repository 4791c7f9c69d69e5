package dev.repro.topics;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topics of one repro deployment: every {@link TopicId} under one name prefix, with the
 * same partition count and replication factor. Immutable; built once at start-up from
 * configuration ({@code REPRO_TOPIC_PREFIX}, default {@value #DEFAULT_PREFIX}).
 */
public final class TopicCatalog {

    public static final String DEFAULT_PREFIX = "repro.";
    public static final int DEFAULT_PARTITIONS = 3;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;

    /** Kafka's limit on topic name length. */
    static final int MAX_TOPIC_NAME_LENGTH = 249;

    private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]+");

    private final String prefix;
    private final Map<TopicId, TopicSpec> byId;
    private final Map<String, TopicSpec> byName;
    private final List<TopicSpec> all;

    private TopicCatalog(String prefix, int partitions, short replicationFactor) {
        this.prefix = prefix;
        Map<TopicId, TopicSpec> specs = new EnumMap<>(TopicId.class);
        Map<String, TopicSpec> names = new LinkedHashMap<>();
        for (TopicId id : TopicId.values()) {
            TopicSpec spec = new TopicSpec(id, prefix + id.suffix(), id.valueType(), partitions, replicationFactor,
                    id.cleanupPolicy(), id.defaultRetention());
            specs.put(id, spec);
            names.put(spec.name(), spec);
        }
        this.byId = Map.copyOf(specs);
        this.byName = Map.copyOf(names);
        this.all = List.copyOf(specs.values());
    }

    /**
     * The catalog under {@code prefix}.
     *
     * @throws IllegalArgumentException when the prefix is empty, holds a character Kafka does
     *                                  not allow in topic names, or makes a name too long;
     *                                  or when partitions or replication factor are below 1
     */
    public static TopicCatalog of(String prefix, int partitions, short replicationFactor) {
        requireLegalPrefix(prefix);
        return new TopicCatalog(prefix, partitions, replicationFactor);
    }

    /** Prefix {@value #DEFAULT_PREFIX}, 3 partitions, replication factor 1 (a single local broker). */
    public static TopicCatalog defaults() {
        return of(DEFAULT_PREFIX, DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR);
    }

    /** The prefix every topic name starts with. */
    public String prefix() {
        return prefix;
    }

    /** The topic of {@code id}. */
    public TopicSpec spec(TopicId id) {
        return byId.get(id);
    }

    /** The full name of the topic of {@code id}, e.g. {@code repro.events.builds}. */
    public String name(TopicId id) {
        return spec(id).name();
    }

    /** Every topic, in {@link TopicId} declaration order. */
    public List<TopicSpec> all() {
        return all;
    }

    /** The catalog's topic with this full name, if it is one. */
    public Optional<TopicSpec> byName(String topicName) {
        return Optional.ofNullable(byName.get(topicName));
    }

    private static void requireLegalPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("topic prefix must not be empty (default '" + DEFAULT_PREFIX + "')");
        }
        if (!LEGAL_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix '" + prefix
                    + "' may only contain ASCII letters, digits, '.', '_' and '-' (Kafka's rule for topic names)");
        }
        int longestSuffix = Arrays.stream(TopicId.values()).mapToInt(id -> id.suffix().length()).max().orElse(0);
        if (prefix.length() + longestSuffix > MAX_TOPIC_NAME_LENGTH) {
            throw new IllegalArgumentException("topic prefix is " + prefix.length() + " characters long; Kafka topic names"
                    + " may have at most " + MAX_TOPIC_NAME_LENGTH + ", and the longest suffix needs " + longestSuffix);
        }
    }
}
