package dev.repro.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.repro.kafka.local.LocalKafka;

/** The project's own single-node KRaft broker in a child JVM, on free loopback ports, in a temporary directory. */
final class EmbeddedKafka implements KafkaUnderTest {

    private final Path dataDir;
    private final LocalKafka broker;

    EmbeddedKafka() {
        try {
            dataDir = Files.createTempDirectory("repro-kafka-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = LocalKafka.builder(dataDir).heap("512m").build();
        broker.start();
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void stop() {
        broker.stop();
    }

    @Override
    public void kill() {
        broker.kill();
    }

    @Override
    public void start() {
        broker.start();
    }

    @Override
    public void close() {
        broker.stop();
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }
}
