package dev.repro.alerts;

import java.io.UncheckedIOException;
import java.util.Optional;

import org.apache.kafka.common.KafkaException;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;
import dev.repro.serde.ReproSchemas;

/**
 * {@code java -jar alert-forwarder/target/alert-forwarder.jar}: reads the configuration from the
 * environment, starts the forwarder, stops it cleanly on SIGTERM / Ctrl-C (requests in flight
 * finish, delivered changes are committed). Exits 2 on a bad setting or an address already in use
 * (one line naming the key; a bad {@code KAFKA_*} value is named by the Kafka client's message), 1
 * if the forwarder stops on a failure.
 */
public final class AlertForwarderMain {

    private AlertForwarderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // before anything logs: the first logger fixes Log4j's configuration
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "alert-forwarder-log4j2.properties");
        }
        ReproSchemas.trustGeneratedClasses();
        AlertForwarderApp.Running app;
        try {
            app = new AlertForwarderApp().start(ReproConfig.fromEnvironment());
        } catch (ConfigException | IllegalArgumentException | UncheckedIOException e) {
            System.err.println(AlertForwarderApp.NAME + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (KafkaException e) {
            System.err.println(AlertForwarderApp.NAME + ": bad Kafka client setting: " + rootMessage(e));
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, AlertForwarderApp.NAME + "-shutdown"));
        Optional<Throwable> failure = app.awaitTermination();
        if (failure.isPresent()) {
            System.exit(1);
        }
    }

    /** A Kafka client wraps the setting it refuses (e.g. {@code Invalid value x for configuration acks}) in its own exception. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? e.getMessage() : root.getMessage();
    }
}
