package dev.repro.launcher.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.launcher.IngestClient;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicCatalog;

/**
 * {@code repro up --demo}, once the stack is up: starts the {@link LiveView}, feeds the
 * {@link DemoStory} through ingest, then prints how to post one's own events. The view keeps
 * showing results until {@link #close()}.
 */
public final class Demo implements AutoCloseable {

    private static final Duration PAUSE_BETWEEN_EVENTS = Duration.ofMillis(400);

    private final ReproConfig config;
    private final String ingestUrl;
    private final PrintStream out;
    private LiveView view;

    public Demo(ReproConfig config, String ingestUrl, PrintStream out) {
        this.config = config;
        this.ingestUrl = ingestUrl;
        this.out = out;
    }

    public void run() throws IOException, InterruptedException {
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        view = new LiveView(new KafkaClientSettings(config), catalog, AvroSerdes.create(), out).start();
        DemoStory story = DemoStory.endingBefore(Instant.now());
        out.println();
        out.println("Demo: feeding " + story.steps().size() + " events through " + ingestUrl
                + "; their verdicts, drift, alerts and global 1d SLIs appear below as the apps write them.");
        out.println();
        int accepted = new DemoFeed(new IngestClient(ingestUrl, System.getenv("REPRO_INGEST_TOKEN"),
                System.getenv("REPRO_INGEST_HMAC_SECRET")), out, PAUSE_BETWEEN_EVENTS).feed(story, Duration.ofSeconds(60));
        out.println();
        out.println("Demo: " + accepted + " of " + story.steps().size() + " events accepted. The stack keeps running; post your own:");
        out.println(examples(ingestUrl));
        out.flush();
    }

    static String examples(String ingestUrl) {
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return """

                  ./repro emit build --artifact-name ghcr.io/you/app \\
                      --artifact-digest sha256:%1$s \\
                      --source-repo https://github.com/you/app --commit %2$s \\
                      --recipe-digest sha256:%3$s --builder-id https://ci.example.com/runner \\
                      --env TZ=UTC --env SOURCE_DATE_EPOCH=1700000000 --label team=you

                  curl -sS -X POST %4$s/v1/events -H 'Content-Type: application/json' -d '{
                    "type":"deployment","id":"my-deploy-1","source":"https://cd.example.com","time":"%5$s",
                    "service":"app","environment":"prod","cluster":"eu-1",
                    "artifact_digest":"sha256:%1$s","image_ref":"ghcr.io/you/app@sha256:%1$s","kind":"deployed"}'

                  ./repro tail repro.verdicts.rebuild --from-beginning     # every verdict as JSON
                  curl -sS http://127.0.0.1:8081/v1/alerts                  # open alerts, from the SLI aggregator
                """.formatted("ab".repeat(32), "c0ffee".repeat(6) + "c0ff", "12".repeat(32), ingestUrl, now);
    }

    @Override
    public void close() {
        if (view != null) {
            view.close();
        }
    }
}
