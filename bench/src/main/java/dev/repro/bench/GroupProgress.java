package dev.repro.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far a consumer group (a Kafka Streams app: its application id) has committed on some topics. */
final class GroupProgress {

    private final Admin admin;

    GroupProgress(Admin admin) {
        this.admin = admin;
    }

    /** The end offset of every partition of {@code topics}. */
    Map<TopicPartition, Long> endOffsets(List<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> request = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                    .values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topics + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until {@code groupId} has committed every offset of {@code end}, handing
     * {@code notYet} what it has committed after each look that finds it not done yet.
     *
     * @throws IllegalStateException when it has not within {@code timeout}
     */
    void awaitCommitted(String groupId, Map<TopicPartition, Long> end, Duration timeout, LongConsumer notYet)
            throws InterruptedException {
        long target = total(end);
        long deadline = System.nanoTime() + timeout.toNanos();
        long committed;
        while ((committed = committed(groupId, end)) < target) {
            notYet.accept(committed);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(groupId + " committed " + committed + " of " + target + " offsets of "
                        + end.keySet().stream().map(TopicPartition::topic).distinct().sorted().toList() + " within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The offsets up to {@code end}, summed over its partitions: what a group has to commit to be done. */
    static long total(Map<TopicPartition, Long> end) {
        return end.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Committed offsets of {@code groupId} on the partitions of {@code end}, each capped at its end offset, summed. */
    long committed(String groupId, Map<TopicPartition, Long> end) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return end.entrySet().stream()
                    .mapToLong(e -> {
                        OffsetAndMetadata o = offsets.get(e.getKey());
                        return o == null ? 0 : Math.min(o.offset(), e.getValue());
                    })
                    .sum();
        } catch (Exception e) {
            return 0;
        }
    }
}
