package dev.repro.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupeFloorTest {

    @Test
    void forwardsEveryRecordUnchangedAndRemembersEachByItsPlaceInTheLog(@TempDir Path state) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-floor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(DedupeFloor.topology(List.of("in.a", "in.b"), "out"), props)) {
            TestInputTopic<byte[], byte[]> a = driver.createInputTopic("in.a", new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> b = driver.createInputTopic("in.b", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("out", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            KeyValueStore<String, Long> seen = driver.getKeyValueStore(DedupeFloor.STORE);
            seen.put("in.b/0/1", 5L);

            a.pipeInput(bytes("k1"), bytes("first"), 100L);
            a.pipeInput(bytes("k1"), bytes("first"), 200L);
            b.pipeInput(bytes("k2"), bytes("second"), 300L);
            b.pipeInput(bytes("k2"), bytes("already seen at this place"), 400L);

            assertThat(out.readRecordsToList()).extracting(r -> text(r.key()) + "=" + text(r.value()) + "@" + r.timestamp())
                    .as("equal records at two places in the log are two records; a place already seen is dropped")
                    .containsExactly("k1=first@100", "k1=first@200", "k2=second@300");
            assertThat(seen.get("in.a/0/0")).isEqualTo(100L);
            assertThat(seen.get("in.a/0/1")).isEqualTo(200L);
            assertThat(seen.get("in.b/0/0")).isEqualTo(300L);
            assertThat(seen.get("in.b/0/1")).as("left as it was").isEqualTo(5L);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
