package dev.repro.launcher;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.serde.RecordDecodingException;
import dev.repro.serde.RecordJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", description = {
        "Prints a topic's records, one JSON object per line:",
        "{\"key\":…,\"value\":{…},\"partition\":…,\"offset\":…,\"timestamp\":…}.",
        "Exits once caught up unless --follow."})
final class TailCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "TOPIC", description = "full topic name (repro.drift) or the name without the prefix (drift)")
    String topic;

    @Option(names = "--from-beginning", description = "start at the oldest record (default: only records written from now on)")
    boolean fromBeginning;

    @Option(names = {"-f", "--follow"}, description = "keep printing new records until Ctrl-C")
    boolean follow;

    @Option(names = "--max", paramLabel = "N", description = "stop after N records")
    long max = Long.MAX_VALUE;

    @Override
    public Integer call() {
        ReproConfig config = KafkaReach.clientConfig();
        String name;
        List<TopicPartition> partitions;
        try (Admin admin = KafkaReach.admin(config, 10)) {
            name = resolveName(admin, config);
        }
        RecordJson recordJson = RecordJson.create();
        Map<String, Object> props = new KafkaClientSettings(config).consumer(null);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            partitions = consumer.partitionsFor(name).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            AtomicBoolean stop = new AtomicBoolean();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            long printed = 0;
            while (!stop.get() && printed < max) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.println(line(recordJson, r));
                    if (++printed >= max) {
                        break;
                    }
                }
                out.flush();
                if (!follow && caughtUp(consumer, end)) {
                    break;
                }
            }
            out.flush();
        }
        return 0;
    }

    private String resolveName(Admin admin, ReproConfig config) {
        try {
            java.util.Set<String> existing = admin.listTopics().names().get();
            if (existing.contains(topic)) {
                return topic;
            }
            if (existing.contains(config.topicPrefix() + topic)) {
                return config.topicPrefix() + topic;
            }
        } catch (Exception e) {
            throw new LauncherException("cannot list topics on " + config.bootstrapServers() + ": " + LocalStack.oneLine(e));
        }
        throw new LauncherException("no topic '" + topic + "' (nor '" + config.topicPrefix() + topic
                + "') on " + config.bootstrapServers() + "; `repro topics` lists them");
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static String line(RecordJson recordJson, ConsumerRecord<byte[], byte[]> r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        if (r.value() == null) {
            node.putNull("value");
        } else {
            try {
                node.set("value", recordJson.toJson(r.value()));
            } catch (RecordDecodingException e) {
                node.putNull("value");
                node.put("value_error", e.getMessage());
                node.put("value_base64", Base64.getEncoder().encodeToString(r.value()));
            }
        }
        node.put("partition", r.partition());
        node.put("offset", r.offset());
        node.put("timestamp", r.timestamp());
        return node.toString();
    }
}
