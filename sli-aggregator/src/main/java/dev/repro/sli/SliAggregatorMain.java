package dev.repro.sli;

import java.io.UncheckedIOException;

import org.apache.kafka.streams.KafkaStreams;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;
import dev.repro.serde.ReproSchemas;

/**
 * {@code java -jar sli-aggregator/target/sli-aggregator.jar}: reads the configuration from the
 * environment, starts the aggregator and its HTTP API, stops on SIGTERM / Ctrl-C. Exits 1 if the
 * app stops in error, 2 on a bad setting (one line naming the key) or an address already in use.
 */
public final class SliAggregatorMain {

    private SliAggregatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // before anything logs: the first logger fixes Log4j's configuration
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "sli-aggregator-log4j2.properties");
        }
        ReproSchemas.trustGeneratedClasses();
        SliAggregatorApp.Running app;
        try {
            app = new SliAggregatorApp().start(ReproConfig.fromEnvironment());
        } catch (ConfigException | IllegalArgumentException | UncheckedIOException e) {
            System.err.println("sli-aggregator: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sli-aggregator-shutdown"));
        KafkaStreams.State last = app.awaitTermination();
        if (last == KafkaStreams.State.ERROR) {
            System.exit(1);
        }
    }
}
