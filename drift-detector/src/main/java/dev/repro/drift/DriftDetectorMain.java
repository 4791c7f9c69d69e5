package dev.repro.drift;

import org.apache.kafka.streams.KafkaStreams;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;
import dev.repro.serde.ReproSchemas;
import dev.repro.streams.StreamsAppRunner;

/**
 * {@code java -jar drift-detector/target/drift-detector.jar}: reads the configuration from the
 * environment, starts the drift detector, stops it on SIGTERM / Ctrl-C. Exits 1 if the app stops in
 * error, 2 on a bad setting (one line naming the key).
 */
public final class DriftDetectorMain {

    private DriftDetectorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // before anything logs: the first logger fixes Log4j's configuration
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "drift-detector-log4j2.properties");
        }
        ReproSchemas.trustGeneratedClasses();
        StreamsAppRunner app;
        try {
            app = new DriftDetectorApp().start(ReproConfig.fromEnvironment());
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println(DriftDetectorApp.NAME + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, DriftDetectorApp.NAME + "-shutdown"));
        KafkaStreams.State last = app.awaitTermination();
        if (last == KafkaStreams.State.ERROR) {
            System.exit(1);
        }
    }
}
