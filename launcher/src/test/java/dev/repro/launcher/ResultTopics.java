package dev.repro.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * Every committed record of some result topics, read from the beginning and decoded, by topic and
 * key in the order read: what the pipeline's integration tests assert on.
 */
final class ResultTopics implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicCatalog catalog;
    private final List<TopicId> topics;
    private final AvroSerdes serdes = AvroSerdes.create();
    private final Map<TopicId, Map<String, List<Object>>> byTopic = new HashMap<>();

    /** Reads every partition of {@code topics} with a consumer of {@code consumerSettings} (read committed, no group needed). */
    ResultTopics(Map<String, Object> consumerSettings, TopicCatalog catalog, List<TopicId> topics) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.put("isolation.level", "read_committed");
        settings.put("enable.auto.commit", "false");
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        this.catalog = catalog;
        this.topics = List.copyOf(topics);
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicId topic : topics) {
            for (int p = 0; p < catalog.spec(topic).partitions(); p++) {
                partitions.add(new TopicPartition(catalog.name(topic), p));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Adds what arrived within {@code timeout}. */
    void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            TopicId topic = topics.stream().filter(t -> catalog.name(t).equals(r.topic())).findFirst().orElseThrow();
            byTopic.computeIfAbsent(topic, t -> new LinkedHashMap<>()).computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(serdes.deserialize(topic.valueType(), r.value()));
        }
    }

    /** Every value read for {@code key}, oldest first. */
    List<Object> all(TopicId topic, String key) {
        return byTopic.getOrDefault(topic, Map.of()).getOrDefault(key, List.of());
    }

    /** The latest value of each key read, keys in the order first read. */
    Map<String, Object> latest(TopicId topic) {
        Map<String, Object> latest = new LinkedHashMap<>();
        byTopic.getOrDefault(topic, Map.of()).forEach((key, values) -> latest.put(key, values.get(values.size() - 1)));
        return latest;
    }

    /** The keys read so far, per topic: for a failure message. */
    String summary() {
        StringBuilder s = new StringBuilder();
        byTopic.forEach((topic, keys) -> s.append(topic).append('=').append(keys.keySet()).append(' '));
        return s.toString();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
