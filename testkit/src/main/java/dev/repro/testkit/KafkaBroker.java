package dev.repro.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * A real Kafka broker for one test class, as a JUnit 5 extension:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBroker kafka = KafkaBroker.perClass();
 * }</pre>
 *
 * The system property {@code repro.kafka} chooses the broker: {@code embedded} (default) starts
 * the project's own KRaft broker from the Kafka jars in a child JVM on free loopback ports;
 * {@code testcontainers} starts Testcontainers' Kafka module ({@code repro.kafka.image}, the same
 * Kafka version as the jars), and skips the class with a clear reason when no Docker engine is
 * reachable. The broker is stopped, and its files removed, after the class.
 *
 * <p>Tests share the broker, never topics: each takes its own names from {@link #uniquePrefix()}
 * or {@link #uniqueName(String)}, and its own application id.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    public static final String MODE_PROPERTY = "repro.kafka";
    public static final String IMAGE_PROPERTY = "repro.kafka.image";

    private final AtomicInteger sequence = new AtomicInteger();
    private final String mode;
    private KafkaUnderTest kafka;

    private KafkaBroker(String mode) {
        this.mode = mode;
    }

    /** The broker the {@code repro.kafka} system property chooses. */
    public static KafkaBroker perClass() {
        return new KafkaBroker(System.getProperty(MODE_PROPERTY, "embedded").toLowerCase(Locale.ROOT));
    }

    /** Always Testcontainers' Kafka: the class is skipped where Docker is absent. */
    public static KafkaBroker testcontainers() {
        return new KafkaBroker("testcontainers");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        switch (mode) {
            case "embedded" -> kafka = new EmbeddedKafka();
            case "testcontainers" -> {
                assumeTrue(dockerAvailable(), "no Docker engine reachable: the Testcontainers Kafka path is skipped"
                        + " (run with -Drepro.kafka=embedded, the default, to use the embedded broker)");
                kafka = new ContainerKafka(System.getProperty(IMAGE_PROPERTY, "apache/kafka:4.3.1"));
            }
            default -> throw new IllegalArgumentException(MODE_PROPERTY + ": expected 'embedded' or 'testcontainers', got '"
                    + mode + "'");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    /** A topic prefix no other test uses, e.g. {@code it7-3f9a1c.}, for {@code REPRO_TOPIC_PREFIX}. */
    public String uniquePrefix() {
        return uniqueName("it") + ".";
    }

    /** {@code base} made unique within this broker's life: for topics, application ids and groups. */
    public String uniqueName(String base) {
        return base + sequence.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Stops the broker cleanly (data kept). Embedded broker only. */
    public void stopBroker() {
        running().stop();
    }

    /** Kills the broker with SIGKILL (data kept). Embedded broker only. */
    public void killBroker() {
        running().kill();
    }

    /** Starts a stopped or killed broker again on the same address. Embedded broker only. */
    public void startBroker() {
        running().start();
    }

    private KafkaUnderTest running() {
        if (kafka == null) {
            throw new IllegalStateException("no broker: register KafkaBroker with @RegisterExtension on a static field");
        }
        return kafka;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
