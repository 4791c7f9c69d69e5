package dev.repro.launcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.repro.config.KafkaClientSettings;

/**
 * Two compacted topics compared by their latest value per key (what a compacted topic means):
 * how many keys each has, how many have byte-identical values, and a few keys that differ.
 */
record TopicComparison(String live, String replayed, int liveKeys, int replayedKeys, int equal, List<String> differing) {

    private static final int EXAMPLES = 5;

    boolean identical() {
        return liveKeys == replayedKeys && equal == liveKeys;
    }

    static TopicComparison of(KafkaClientSettings clients, String live, String replayed) {
        Map<String, byte[]> a = latest(clients, live);
        Map<String, byte[]> b = latest(clients, replayed);
        int equal = 0;
        List<String> differing = new java.util.ArrayList<>();
        for (Map.Entry<String, byte[]> entry : a.entrySet()) {
            if (Arrays.equals(entry.getValue(), b.get(entry.getKey()))) {
                equal++;
            } else if (differing.size() < EXAMPLES) {
                differing.add(entry.getKey());
            }
        }
        for (String key : b.keySet()) {
            if (!a.containsKey(key) && differing.size() < EXAMPLES) {
                differing.add(key);
            }
        }
        return new TopicComparison(live, replayed, a.size(), b.size(), equal, List.copyOf(differing));
    }

    /** The latest committed value of every key of {@code topic} (tombstones remove the key). */
    static Map<String, byte[]> latest(KafkaClientSettings clients, String topic) {
        Map<String, Object> settings = new HashMap<>(clients.consumer(null));
        settings.put("isolation.level", "read_committed");
        settings.put("enable.auto.commit", "false");
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new LauncherException("could not read " + topic + " to its end within 5 min");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        return latest;
    }
}
