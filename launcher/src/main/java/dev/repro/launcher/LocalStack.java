package dev.repro.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import org.apache.kafka.clients.admin.Admin;

import dev.repro.app.ReproApp;
import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.ingest.IngestService;
import dev.repro.kafka.local.LocalKafka;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicProvisioner;

/**
 * Everything {@code repro up} runs: the embedded broker (data under the repro home), the
 * catalog's topics, and every app module on the class path, in one JVM. Closing it stops the
 * apps in reverse order, then the broker. A close requested while starting (Ctrl-C during
 * {@code up}) waits for the start to finish, then stops everything it started.
 */
final class LocalStack implements AutoCloseable {

    static final int DEFAULT_BROKER_PORT = 19092;
    static final int DEFAULT_CONTROLLER_PORT = 19093;

    private final Console console;
    private final List<Started> apps = new ArrayList<>();
    private LocalKafka broker;
    private ReproConfig config;

    record Started(String name, RunningApp app) {
    }

    LocalStack(Console console) {
        this.console = console;
    }

    /** Starts the broker, creates the topics, starts the apps; returns the configuration the apps got. */
    synchronized ReproConfig start(Path home, ReproConfig base) {
        long t0 = System.nanoTime();
        int port = base.intInRange("REPRO_BROKER_PORT", DEFAULT_BROKER_PORT, 1, 65535);
        int controllerPort = base.intInRange("REPRO_CONTROLLER_PORT", DEFAULT_CONTROLLER_PORT, 1, 65535);
        console.say("starting Kafka (KRaft, one node) with data in " + home.resolve("kafka") + " …");
        broker = LocalKafka.builder(home.resolve("kafka"))
                .port(port)
                .controllerPort(controllerPort)
                .heap(base.get("REPRO_BROKER_HEAP", "1g"))
                .build()
                .start();
        console.say("Kafka ready at " + broker.bootstrapServers() + " in " + Console.seconds(t0)
                + " (log: " + broker.logFile() + ")");
        config = base.with(ReproConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());

        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(),
                config.topicReplicationFactor());
        try (Admin admin = Admin.create(new KafkaClientSettings(config).admin())) {
            TopicProvisioner.Result result = new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
            console.say("topics: " + catalog.all().size() + " in the catalog, " + result.created().size()
                    + " created, " + result.existing().size() + " already there");
        }

        List<ReproApp> found = new ArrayList<>();
        ServiceLoader.load(ReproApp.class).forEach(found::add);
        found.sort(Comparator.comparingInt(ReproApp::order));
        if (found.isEmpty()) {
            console.say("no app modules on the class path: only the broker and topics are up");
        }
        for (ReproApp app : found) {
            long started = System.nanoTime();
            try {
                apps.add(new Started(app.name(), app.start(config)));
            } catch (Exception e) {
                throw new LauncherException(app.name() + " failed to start: " + oneLine(e), e);
            }
            console.say(String.format("%-15s started in %s: %s", app.name(), Console.seconds(started),
                    String.join(", ", apps.get(apps.size() - 1).app().endpoints())));
        }
        return config;
    }

    /** The base URL of the ingest started here, if ingest is on the class path. */
    Optional<String> ingestUrl() {
        return apps.stream().map(Started::app).filter(IngestService.class::isInstance).map(app -> ((IngestService) app).url())
                .findFirst();
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    List<Started> apps() {
        return List.copyOf(apps);
    }

    LocalKafka broker() {
        return broker;
    }

    /** How long the apps get to stop, together, before the broker is stopped anyway. */
    static final Duration APPS_STOP_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Stops every app at once (each commits and closes its own clients; exactly-once makes an
     * app cut short safe to resume), waits up to {@link #APPS_STOP_TIMEOUT}, then stops the broker.
     */
    @Override
    public synchronized void close() {
        List<Thread> stopping = new ArrayList<>();
        for (Started s : apps) {
            Thread t = new Thread(() -> {
                try {
                    s.app().close();
                    console.say(s.name() + " stopped");
                } catch (RuntimeException e) {
                    console.say(s.name() + " did not stop cleanly: " + oneLine(e));
                }
            }, "stop-" + s.name());
            t.setDaemon(true);
            t.start();
            stopping.add(t);
        }
        long deadline = System.nanoTime() + APPS_STOP_TIMEOUT.toNanos();
        for (int i = 0; i < stopping.size(); i++) {
            try {
                stopping.get(i).join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopping.get(i).isAlive()) {
                console.say(apps.get(i).name() + " did not stop within " + APPS_STOP_TIMEOUT.toSeconds() + " s; stopping Kafka anyway");
            }
        }
        apps.clear();
        if (broker != null) {
            broker.stop();
            console.say("Kafka stopped (data kept in " + broker.dataDir() + ")");
            broker = null;
        }
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
