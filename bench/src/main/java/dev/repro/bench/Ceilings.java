package dev.repro.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The two ceilings every stage is compared with, over build events of the contract's typical
 * size (what ingest is sent): the broker's raw produce rate, and an exactly-once Kafka Streams
 * pass-through over the same records. Each runs one warm-up pass that is not counted.
 */
final class Ceilings {

    static final String PRODUCE_GUARANTEE = "acks=all, idempotent";
    static final String STREAMS_GUARANTEE = "exactly_once_v2";

    private final BenchContext context;

    Ceilings(BenchContext context) {
        this.context = context;
    }

    /** The produce ceiling, then the pass-through ceiling with its ratio to it. */
    List<StageResult> measure(List<SampleEvents.Keyed> records) throws InterruptedException {
        long bytes = records.stream().mapToLong(r -> r.key().length + r.value().length).sum();
        StageResult produce = produce(records, bytes);
        return List.of(produce, passThrough(records, bytes, produce.eventsPerSecond()));
    }

    private StageResult produce(List<SampleEvents.Keyed> records, long bytes) throws InterruptedException {
        BenchSettings settings = context.settings();
        ProduceCeiling ceiling = context.ceilingProducer();
        context.createTopic("bench.produce.warmup");
        context.say("[produce ceiling] warm-up pass (not counted) …");
        ceiling.measure("bench.produce.warmup", records);
        List<Trial> trials = new ArrayList<>();
        for (int i = 1; i <= settings.trials(); i++) {
            String topic = "bench.produce." + i;
            context.createTopic(topic);
            Trial trial = ceiling.measure(topic, records);
            trials.add(trial);
            context.say(String.format("[produce ceiling] trial %d/%d: %,.0f events/s", i, settings.trials(), trial.eventsPerSecond()));
        }
        return StageResult.of("broker produce", PRODUCE_GUARANTEE, "builds", trials, bytes, null);
    }

    private StageResult passThrough(List<SampleEvents.Keyed> records, long bytes, double produceRate) throws InterruptedException {
        String input = "bench.passthrough.in";
        context.createTopic(input);
        context.say("[pass-through ceiling] writing its input …");
        context.seedingProducer(BenchContext.TRIAL_TIMEOUT).measure(input, records);
        StreamsCatchUp catchUp = context.catchUp(BenchContext.TRIAL_TIMEOUT);
        List<Trial> trials = context.warmUpAndTrials("pass-through ceiling", i -> {
            String output = "bench.passthrough.out." + i;
            context.createTopic(output);
            return catchUp.measure("bench-passthrough-" + i, StreamsCatchUp.passThrough(input, output), List.of(input),
                    records.size(), bytes);
        });
        return StageResult.of("streams pass-through", STREAMS_GUARANTEE, "builds", trials, bytes, produceRate);
    }
}
