package dev.repro.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every committed record of some topics, partition by partition, in offset order: what a stream app
 * wrote, read {@code read_committed} from the beginning to the end each partition had when reading
 * started. Keys are UTF-8 strings, values raw bytes. Every partition of the topics is in the snapshot,
 * empty or not. Immutable.
 */
public final class TopicSnapshot {

    private static final Comparator<TopicPartition> BY_TOPIC_THEN_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records;

    private TopicSnapshot(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> sorted = new TreeMap<>(BY_TOPIC_THEN_PARTITION);
        records.forEach((tp, list) -> sorted.put(tp, List.copyOf(list)));
        this.records = Collections.unmodifiableMap(sorted);
    }

    /**
     * Reads every committed record of {@code topics} with a consumer of {@code consumerSettings} (no group
     * needed; the isolation level is forced to {@code read_committed}, so an aborted transaction's records
     * are never seen). Fails when the end is not reached within {@code timeout}.
     */
    public static TopicSnapshot read(Map<String, Object> consumerSettings, Collection<String> topics, Duration timeout) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.remove("group.id");
        settings.put("isolation.level", "read_committed");
        settings.put("enable.auto.commit", "false");
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> seen = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
                assertThat(infos).as("partitions of " + topic).isNotEmpty();
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            partitions.forEach(tp -> seen.put(tp, new ArrayList<>()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading " + topics + " to " + end).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        seen.get(tp).add(r);
                    }
                }
            }
        }
        return new TopicSnapshot(seen);
    }

    /** A snapshot of these records, for the testkit's own tests. */
    static TopicSnapshot of(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records) {
        return new TopicSnapshot(records);
    }

    /** Every partition of the snapshot's topics, by topic name then partition number. */
    public List<TopicPartition> partitions() {
        return List.copyOf(records.keySet());
    }

    /** The records of {@code partition}, in offset order (empty when the partition is not in the snapshot). */
    public List<ConsumerRecord<String, byte[]>> records(TopicPartition partition) {
        return records.getOrDefault(partition, List.of());
    }

    /** Every record, partition after partition. */
    public Stream<ConsumerRecord<String, byte[]>> records() {
        return records.values().stream().flatMap(List::stream);
    }

    /** The values of every record of {@code topic}, partition after partition. */
    public List<byte[]> values(String topic) {
        return records.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .flatMap(e -> e.getValue().stream()).map(ConsumerRecord::value).toList();
    }

    /** The part of the snapshot that is of {@code topic}. */
    public TopicSnapshot topic(String topic) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> only = new LinkedHashMap<>();
        records.forEach((tp, list) -> {
            if (tp.topic().equals(topic)) {
                only.put(tp, list);
            }
        });
        return new TopicSnapshot(only);
    }

    /** How many records the snapshot holds. */
    public int size() {
        return records.values().stream().mapToInt(List::size).sum();
    }

    /**
     * The records each partition received after {@code earlier} was read from the same topics: what a
     * second run appended to the output of a first.
     */
    public TopicSnapshot after(TopicSnapshot earlier) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> later = new LinkedHashMap<>();
        records.forEach((tp, list) -> later.put(tp, list.subList(Math.min(list.size(), earlier.records(tp).size()), list.size())));
        return new TopicSnapshot(later);
    }

    /**
     * The same records under other topic names, e.g. {@code name -> name.replace(killedPrefix, calmPrefix)}:
     * to compare the outputs of two runs that wrote topics of different prefixes. The records keep their
     * own topic names; only the partitions they are filed under change.
     */
    public TopicSnapshot renameTopics(UnaryOperator<String> rename) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> renamed = new LinkedHashMap<>();
        records.forEach((tp, list) -> {
            TopicPartition to = new TopicPartition(rename.apply(tp.topic()), tp.partition());
            if (renamed.put(to, list) != null) {
                throw new IllegalArgumentException("two topics renamed to " + to.topic());
            }
        });
        return new TopicSnapshot(renamed);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        records.forEach((tp, list) -> out.append(out.length() == 0 ? "" : ", ").append(tp).append(": ").append(list.size()));
        return "TopicSnapshot[" + out + "]";
    }
}
