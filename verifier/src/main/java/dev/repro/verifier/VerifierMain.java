package dev.repro.verifier;

import org.apache.kafka.streams.KafkaStreams;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;
import dev.repro.serde.ReproSchemas;
import dev.repro.streams.StreamsAppRunner;

/**
 * {@code java -jar verifier/target/verifier.jar}: reads the configuration from the environment,
 * starts the verifier, stops it on SIGTERM / Ctrl-C. Exits 1 if the app stops in error, 2 on a
 * bad setting (one line naming the key).
 */
public final class VerifierMain {

    private VerifierMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // before anything logs: the first logger fixes Log4j's configuration
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "verifier-log4j2.properties");
        }
        ReproSchemas.trustGeneratedClasses();
        StreamsAppRunner app;
        try {
            app = new VerifierApp().start(ReproConfig.fromEnvironment());
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("verifier: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "verifier-shutdown"));
        KafkaStreams.State last = app.awaitTermination();
        if (last == KafkaStreams.State.ERROR) {
            System.exit(1);
        }
    }
}
