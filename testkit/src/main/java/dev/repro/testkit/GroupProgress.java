package dev.repro.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer group, e.g. a Kafka Streams application id, stands on the broker: the offsets it
 * committed (with exactly-once, an offset is committed together with the output of the records before
 * it) and which member owns which partitions. Waits poll with a deadline and fail naming what was
 * awaited. Holds one admin client; close it.
 */
public final class GroupProgress implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final String groupId;

    public GroupProgress(Map<String, Object> adminSettings, String groupId) {
        this.admin = Admin.create(adminSettings);
        this.groupId = groupId;
    }

    /** The sum of the group's committed offsets over every partition of {@code topics} (0 for none committed). */
    public long committed(Collection<String> topics) throws Exception {
        return committed(tp -> topics.contains(tp.topic()));
    }

    /** The sum of the group's committed offsets over {@code partitions} (0 for none committed). */
    public long committedOn(Collection<TopicPartition> partitions) throws Exception {
        return committed(partitions::contains);
    }

    /**
     * Waits until the group's committed offsets over {@code topics} add up to at least {@code atLeast};
     * returns the sum seen then. Polls every 20 ms, so a caller can act soon after the point.
     */
    public long awaitCommitted(Collection<String> topics, long atLeast, Duration timeout) throws Exception {
        return awaitCommitted(tp -> topics.contains(tp.topic()), topics.toString(), atLeast, timeout);
    }

    /** As {@link #awaitCommitted(Collection, long, Duration)}, over {@code partitions}. */
    public long awaitCommittedOn(Collection<TopicPartition> partitions, long atLeast, Duration timeout) throws Exception {
        return awaitCommitted(partitions::contains, partitions.toString(), atLeast, timeout);
    }

    /**
     * Waits until the group has committed past every record of {@code topics} (to the end each partition
     * had when the wait began; partitions that were empty are not waited for). For an app with
     * repartition topics, wait for its input topics first, then for the repartition topics.
     */
    public void awaitCaughtUp(Collection<String> topics, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = endOffsets(topics);
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets();
            List<TopicPartition> behind = ends.entrySet().stream().filter(e -> e.getValue() > 0
                    && (committed.get(e.getKey()) == null || committed.get(e.getKey()).offset() < e.getValue()))
                    .map(Map.Entry::getKey).toList();
            if (behind.isEmpty()) {
                return;
            }
            assertThat(System.nanoTime()).as(groupId + " catches up with " + behind).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The sum of the end offsets (read committed) of every partition of {@code topics}: how many offsets there are to commit. */
    public long endOffsetSum(Collection<String> topics) throws Exception {
        return endOffsets(topics).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Waits until the group is stable with exactly the members whose client ids start with
     * {@code clientIdPrefixes} (one member each; Kafka Streams names its consumers
     * {@code <client.id>-StreamThread-<n>-consumer}), each owning at least one partition; returns each
     * prefix's partitions.
     */
    public Map<String, Set<TopicPartition>> awaitAssignments(Collection<String> clientIdPrefixes, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Set<TopicPartition>> owned = assignments(clientIdPrefixes);
            if (owned != null) {
                return owned;
            }
            assertThat(System.nanoTime()).as(groupId + " is stable with one member of each of " + clientIdPrefixes
                    + ", each owning partitions: " + describeGroup()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The group's state and each member's client id and partitions, for messages. */
    public String describeGroup() throws Exception {
        ConsumerGroupDescription group = group();
        return group.groupState() + " " + group.members().stream()
                .collect(Collectors.toMap(MemberDescription::clientId, m -> new TreeSet<>(m.assignment().topicPartitions().stream()
                        .map(TopicPartition::toString).toList()), (a, b) -> a, TreeMap::new));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    /** Each prefix's partitions when the group is stable with exactly one member per prefix each owning partitions, else null. */
    private Map<String, Set<TopicPartition>> assignments(Collection<String> clientIdPrefixes) throws Exception {
        ConsumerGroupDescription group = group();
        if (group.groupState() != GroupState.STABLE || group.members().size() != clientIdPrefixes.size()) {
            return null;
        }
        Map<String, Set<TopicPartition>> owned = new TreeMap<>();
        for (String prefix : clientIdPrefixes) {
            List<MemberDescription> members = group.members().stream().filter(m -> m.clientId().startsWith(prefix)).toList();
            if (members.size() != 1 || members.get(0).assignment().topicPartitions().isEmpty()) {
                return null;
            }
            owned.put(prefix, Set.copyOf(members.get(0).assignment().topicPartitions()));
        }
        return owned;
    }

    private long committed(Predicate<TopicPartition> which) throws Exception {
        return committedOffsets().entrySet().stream().filter(e -> which.test(e.getKey()) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private long awaitCommitted(Predicate<TopicPartition> which, String what, long atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long committed = committed(which);
            if (committed >= atLeast) {
                return committed;
            }
            assertThat(System.nanoTime()).as(groupId + " commits " + atLeast + " offsets of " + what + " (" + committed + " so far)")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private ConsumerGroupDescription group() throws Exception {
        return admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Map<TopicPartition, OffsetAndMetadata> committedOffsets() throws Exception {
        return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Map<TopicPartition, Long> endOffsets(Collection<String> topics) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            admin.describeTopics(topics).allTopicNames().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((name, topic) -> topic.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topics + ": " + e.getCause(), e.getCause());
        }
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest())),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
