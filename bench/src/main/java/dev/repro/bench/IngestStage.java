package dev.repro.bench;

import java.util.ArrayList;
import java.util.List;

import dev.repro.ingest.IngestService;
import dev.repro.serde.AvroSerdes;

/**
 * Ingest over real HTTP with keep-alive, the broker and the router included, on topics of its
 * own ({@code bench.pipeline.}): NDJSON batches of 500 build events from 4 clients, then
 * single-event POSTs from 64 clients (a quarter of the records). Compared with the two ceilings
 * over build events, the records ingest writes.
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
                if (i == 0) {
                    context.say(String.format("[ingest NDJSON] warm-up pass (not counted): %,.0f events/s", trial.eventsPerSecond()));
                    continue;
                }
                ndjson.add(trial);
                context.say(String.format("[ingest NDJSON] trial %d/%d: %,.0f events/s", i, settings.trials(), trial.eventsPerSecond()));
            }
            for (int i = 1; i <= settings.trials(); i++) {
                List<String> events = new SampleEvents(200 + i, AvroSerdes.create())
                        .buildJson(singles, settings.recipes(), "https://bench.example.com/single/" + i);
                Trial trial = load.single(events, 64);
                singleBytes = trial.bytes();
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
}
