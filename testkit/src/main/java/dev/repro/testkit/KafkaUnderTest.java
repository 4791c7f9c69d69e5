package dev.repro.testkit;

/** A broker a test class talks to: the embedded KRaft broker, or a Testcontainers Kafka. */
interface KafkaUnderTest extends AutoCloseable {

    String bootstrapServers();

    /** Stops the broker cleanly, keeping its data, for fault tests. */
    void stop();

    /** Kills the broker as a crash would, keeping its data, for fault tests. */
    void kill();

    /** Starts a stopped or killed broker again on the same address. */
    void start();

    @Override
    void close();
}
