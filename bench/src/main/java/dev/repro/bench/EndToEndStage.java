package dev.repro.bench;

import java.time.Duration;

import dev.repro.config.ReproConfig;
import dev.repro.ingest.IngestService;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.verifier.VerifierApp;
import dev.repro.verifier.VerifierConfig;

/**
 * End-to-end latency at the fixed offered load: ingest (with its router) and the verifier on
 * topics of their own ({@code bench.e2e.}), builds POSTed one at a time for 20 s (or
 * {@code records}, if fewer), each timed until its rebuild verdict is readable.
 */
final class EndToEndStage {

    private final BenchContext context;

    EndToEndStage(BenchContext context) {
        this.context = context;
    }

    LatencyResult measure() throws InterruptedException {
        BenchSettings settings = context.settings();
        String prefix = "bench.e2e.";
        TopicCatalog catalog = context.provision(prefix);
        ReproConfig config = context.pipelineConfig(prefix).with(VerifierConfig.APPLICATION_ID, "bench-e2e-verifier");
        int events = (int) Math.min(settings.records(), Math.round(settings.e2eRate() * 20));
        try (IngestService ingest = BenchContext.startIngest(config); StreamsAppRunner verifier = new VerifierApp().start(config)) {
            if (!verifier.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the verifier did not reach RUNNING within 60 s");
            }
            EndToEndLatency latency = new EndToEndLatency(ingest.url(), context.clients(), catalog.name(TopicId.REBUILD_VERDICTS),
                    BenchContext.TRIAL_TIMEOUT);
            context.say(String.format("[end-to-end] warm-up: %,d builds at %,.0f/s (not counted) …", events / 4, settings.e2eRate()));
            latency.measure(new SampleEvents(300, AvroSerdes.create()).distinctRecipeBuilds(events / 4, 0,
                    "https://bench.example.com/e2e-warmup"), settings.e2eRate(), context.progress());
            context.say(String.format("[end-to-end] %,d builds at %,.0f/s, one POST each …", events, settings.e2eRate()));
            LatencyResult result = latency.measure(new SampleEvents(301, AvroSerdes.create()).distinctRecipeBuilds(events,
                    1_000_000, "https://bench.example.com/e2e"), settings.e2eRate(), context.progress());
            context.say(String.format("[end-to-end] POST → verdict p50 %.0f ms, p95 %.0f ms, p99 %.0f ms",
                    result.toVerdict().p50(), result.toVerdict().p95(), result.toVerdict().p99()));
            return result;
        }
    }
}
