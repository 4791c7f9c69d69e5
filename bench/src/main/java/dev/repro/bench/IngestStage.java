package dev.repro.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;

import dev.repro.ingest.IngestService;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * Ingest over real HTTP with keep-alive, the broker and the router included, on topics of its
 * own ({@code bench.pipeline.}): NDJSON batches of 500 build events from 4 clients, then
 * single-event POSTs from 64 clients (a quarter of the records). Compared with the two ceilings
 * over build events, the records ingest writes. Each kind has a warm-up pass first (the HTTP path
 * compiled), and each trial starts once the router has routed everything before it, so no trial
 * pays for the one before; how long the router took after the last answer is shown.
 */
final class IngestStage {

    private static final String GUARANTEE = "202 after commit";

    private final BenchContext context;

    IngestStage(BenchContext context) {
        this.context = context;
    }

    List<StageResult> measure(double produceRate, double passThroughRate) throws InterruptedException {
        BenchSettings settings = context.settings();
        String prefix = "bench.pipeline.";
        context.provision(prefix);
        int singles = Math.max(1, settings.records() / 4);
        List<Trial> ndjson = new ArrayList<>();
        List<Trial> single = new ArrayList<>();
        long ndjsonBytes = 0;
        long singleBytes = 0;
        try (IngestService service = BenchContext.startIngest(context.pipelineConfig(prefix))) {
            IngestLoad load = new IngestLoad(service.url(), BenchContext.TRIAL_TIMEOUT);
            for (int i = 0; i <= settings.trials(); i++) {
                List<String> events = new SampleEvents(100 + i, AvroSerdes.create())
                        .buildJson(settings.records(), settings.recipes(), "https://bench.example.com/ndjson/" + i);
                Trial trial = load.ndjson(events, 500, 4);
                ndjsonBytes = trial.bytes();
                awaitRouted(prefix, "[ingest NDJSON]");
                if (i == 0) {
                    context.say(String.format("[ingest NDJSON] warm-up pass (not counted): %,.0f events/s", trial.eventsPerSecond()));
                    continue;
                }
                ndjson.add(trial);
                context.say(String.format("[ingest NDJSON] trial %d/%d: %,.0f events/s", i, settings.trials(), trial.eventsPerSecond()));
            }
            for (int i = 0; i <= settings.trials(); i++) {
                List<String> events = new SampleEvents(200 + i, AvroSerdes.create())
                        .buildJson(singles, settings.recipes(), "https://bench.example.com/single/" + i);
                Trial trial = load.single(events, 64);
                singleBytes = trial.bytes();
                awaitRouted(prefix, "[ingest single POSTs]");
                if (i == 0) {
                    context.say(String.format("[ingest single POSTs] warm-up pass (not counted): %,.0f events/s",
                            trial.eventsPerSecond()));
                    continue;
                }
                single.add(trial);
                context.say(String.format("[ingest single POSTs] trial %d/%d: %,.0f events/s", i, settings.trials(),
                        trial.eventsPerSecond()));
            }
        }
        return List.of(
                StageResult.of("ingest NDJSON (500/batch, 4 clients)", GUARANTEE, "builds (JSON)", ndjson, ndjsonBytes, produceRate)
                        .withPassThrough(passThroughRate),
                StageResult.of("ingest single POSTs (64 clients)", GUARANTEE, "builds (JSON)", single, singleBytes, produceRate)
                        .withPassThrough(passThroughRate));
    }

    /** Waits until the router has committed every archived event ingest has written so far. */
    private void awaitRouted(String prefix, String stage) throws InterruptedException {
        GroupProgress progress = new GroupProgress(context.admin());
        String archive = TopicCatalog.of(prefix, context.settings().partitions(), (short) 1).name(TopicId.ARCHIVE);
        Map<TopicPartition, Long> end = progress.endOffsets(List.of(archive));
        long target = end.values().stream().mapToLong(Long::longValue).sum();
        long t0 = System.nanoTime();
        long deadline = t0 + BenchContext.TRIAL_TIMEOUT.toNanos();
        while (progress.committed(prefix + IngestService.ROUTER_APPLICATION, end) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ingest router did not route the archive within " + BenchContext.TRIAL_TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        context.say(String.format("%s   the router routed the rest %.1f s after the last answer", stage,
                (System.nanoTime() - t0) / 1e9));
    }
}
