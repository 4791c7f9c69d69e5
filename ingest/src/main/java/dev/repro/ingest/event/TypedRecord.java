package dev.repro.ingest.event;

import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;

import dev.repro.topics.TopicId;

/** One record to write to a typed topic: the topic, its UTF-8 string key and the Avro value. */
public record TypedRecord(TopicId topic, String key, SpecificRecord value) {

    public TypedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!topic.valueType().isInstance(value)) {
            throw new IllegalArgumentException(
                    "topic " + topic + " holds " + topic.valueType().getSimpleName() + ", not " + value.getClass().getSimpleName());
        }
    }
}
