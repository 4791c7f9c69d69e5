package dev.repro.ingest;

import java.util.concurrent.CountDownLatch;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;
import dev.repro.serde.ReproSchemas;

/** {@code java -jar ingest/target/ingest.jar}: ingest alone, configured by environment. */
public final class IngestMain {

    private IngestMain() {
    }

    public static void main(String[] args) throws Exception {
        ReproSchemas.trustGeneratedClasses();
        IngestService service;
        try {
            service = IngestService.start(ReproConfig.fromEnvironment());
        } catch (ConfigException e) {
            System.err.println("ingest: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "ingest-shutdown"));
        System.err.println("ingest: listening on " + service.url() + " (POST /v1/events, /v1/attestations; GET /readyz, /metrics)");
        stopped.await();
    }
}
