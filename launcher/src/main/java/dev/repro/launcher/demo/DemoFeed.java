package dev.repro.launcher.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.repro.launcher.IngestClient;

/**
 * Feeds a {@link DemoStory} through ingest's HTTP API, one event at a time with a short pause so
 * the live view shows each consequence as it appears, and prints what each POST was answered.
 */
public final class DemoFeed {

    private final IngestClient ingest;
    private final PrintStream out;
    private final Duration pause;

    public DemoFeed(IngestClient ingest, PrintStream out, Duration pause) {
        this.ingest = ingest;
        this.out = out;
        this.pause = pause;
    }

    /**
     * Posts every step; returns how many ingest accepted ({@code 2xx}). Waits up to
     * {@code readyWithin} for {@code /readyz} first.
     *
     * @throws IOException when ingest cannot be reached or never gets ready
     */
    public int feed(DemoStory story, Duration readyWithin) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + readyWithin.toNanos();
        while (!ingest.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("ingest at " + ingest.baseUrl() + " is not ready after " + readyWithin.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
        int accepted = 0;
        for (DemoStory.Step step : story.steps()) {
            HttpResponse<String> answer = ingest.post("/v1/events", "application/json", step.json().getBytes(StandardCharsets.UTF_8));
            boolean ok = answer.statusCode() / 100 == 2;
            accepted += ok ? 1 : 0;
            out.printf("→ %-10s %s%s%n", step.type(), step.caption(), ok ? "" : "  (ingest answered " + answer.statusCode() + ": "
                    + answer.body() + ")");
            out.flush();
            Thread.sleep(pause.toMillis());
        }
        return accepted;
    }
}
