package dev.repro.bench;

import java.util.List;
import java.util.Map;

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
        List<Trial> ndjson;
        List<Trial> single;
        try (IngestService service = BenchContext.startIngest(context.pipelineConfig(prefix))) {
            IngestLoad load = new IngestLoad(service.url(), BenchContext.TRIAL_TIMEOUT);
            ndjson = context.warmUpAndTrials("ingest NDJSON", i -> {
                List<String> events = new SampleEvents(100 + i, AvroSerdes.create())
                        .buildJson(settings.records(), settings.recipes(), "https://bench.example.com/ndjson/" + i);
                Trial trial = load.ndjson(events, 500, 4);
                awaitRouted(prefix, "[ingest NDJSON]");
                return trial;
            });
            single = context.warmUpAndTrials("ingest single POSTs", i -> {
                List<String> events = new SampleEvents(200 + i, AvroSerdes.create())
                        .buildJson(singles, settings.recipes(), "https://bench.example.com/single/" + i);
                Trial trial = load.single(events, 64);
                awaitRouted(prefix, "[ingest single POSTs]");
                return trial;
            });
        }
        long ndjsonBytes = ndjson.get(ndjson.size() - 1).bytes();
        long singleBytes = single.get(single.size() - 1).bytes();
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
        long t0 = System.nanoTime();
        progress.awaitCommitted(prefix + IngestService.ROUTER_APPLICATION, end, BenchContext.TRIAL_TIMEOUT, committed -> { });
        context.say(String.format("%s   the router routed the rest %.1f s after the last answer", stage,
                (System.nanoTime() - t0) / 1e9));
    }
}
