package dev.repro.verifier;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.Encoded;
import dev.repro.streams.EventTimeExtractor;
import dev.repro.streams.LateEventGate;
import dev.repro.streams.StateStores;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.RecipeKey;
import dev.repro.topics.ArtifactPartitioner;

/**
 * The verifier's topology: a pure function of the topic catalog, the serdes and the settings.
 * <pre>
 * builds-source → builds-keyed-by-recipe → builds-lateness-gate
 *   ├ late / empty → builds-dead-letter-sink (repro.deadletter)
 *   └ rebuild-verification [recipe-builds-store, recipes-by-artifact-store, recipe-expiry-store]
 *       → rebuild-verdicts-sink (repro.verdicts.rebuild, partitioned by artifact name)
 * runs-source → runs-lateness-gate
 *   ├ late / empty → runs-dead-letter-sink (repro.deadletter)
 *   └ replay-verification [runs-by-original-store, replay-deadlines-store, run-expiry-store]
 *       → replay-verdicts-sink (repro.verdicts.replay)
 * </pre>
 * {@code repro.events.builds} is partitioned by artifact name ({@link ArtifactPartitioner}; ingest
 * writes it so), so every recipe of one artifact meets in one task without a repartition topic:
 * a producer writing builds directly must use the same partitioner, or regressions across the
 * artifact's recipes go unseen.
 * Record timestamps are event times ({@link EventTimeExtractor}); verdicts carry their
 * {@code as_of} as timestamp.
 */
public final class VerifierTopology {

    private final TopicCatalog catalog;
    private final AvroSerdes serdes;
    private final VerifierConfig config;

    public VerifierTopology(TopicCatalog catalog, AvroSerdes serdes, VerifierConfig config) {
        this.catalog = catalog;
        this.serdes = serdes;
        this.config = config;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> keys = Serdes.String();
        // builds keep the bytes they were read from: a recipe's store keeps those, never encoding again
        Serde<Encoded<BuildEvent>> buildSerde = serdes.encodedSerde(BuildEvent.class);
        Serde<RunEvent> runSerde = serdes.serde(RunEvent.class);
        StateSerdes state = new StateSerdes(serdes);
        long horizon = config.stateRetention().toMillis();

        builder.addStateStore(StateStores.uncached(RebuildVerifier.BUILDS_STORE, buildSerde));
        builder.addStateStore(StateStores.uncached(RebuildVerifier.ARTIFACTS_STORE, Serdes.String()));
        builder.addStateStore(StateStores.keyValue(RebuildVerifier.EXPIRY_STORE, Serdes.String()));
        builder.addStateStore(StateStores.objects(ReplayVerifier.RUNS_STORE, state.runHistory()));
        builder.addStateStore(StateStores.keyValue(ReplayVerifier.DEADLINES_STORE, Serdes.String()));
        builder.addStateStore(StateStores.keyValue(ReplayVerifier.EXPIRY_STORE, Serdes.String()));

        Map<String, KStream<String, Object>> builds = builder
                .stream(catalog.name(TopicId.BUILDS), Consumed.with(keys, buildSerde)
                        .withTimestampExtractor(new EventTimeExtractor()).withName("builds-source"))
                // a build written without a key is judged under its recipe key
                .selectKey((key, build) -> key != null || build == null ? key : RecipeKey.of(build.value()).toString(),
                        Named.as("builds-keyed-by-recipe"))
                .process(new LateEventGate<Encoded<BuildEvent>>(horizon, build -> build.value().getId(), Encoded::bytes),
                        Named.as("builds-lateness-gate"))
                .split(Named.as("builds-"))
                .branch((key, value) -> value instanceof RejectedEvent, Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        deadLetters(builds.get("builds-rejected"), "builds-dead-letter-sink");
        builds.get("builds-accepted")
                .mapValues(value -> (Encoded<BuildEvent>) value, Named.as("builds-accepted-as-build-event"))
                .process(() -> new RebuildVerifier(config.stateRetention()), Named.as("rebuild-verification"),
                        RebuildVerifier.BUILDS_STORE, RebuildVerifier.ARTIFACTS_STORE, RebuildVerifier.EXPIRY_STORE)
                .to(catalog.name(TopicId.REBUILD_VERDICTS), Produced.with(keys, serdes.serde(RebuildVerdict.class))
                        .withStreamPartitioner(new ArtifactPartitioner<>()).withName("rebuild-verdicts-sink"));

        Map<String, KStream<String, Object>> runs = builder
                .stream(catalog.name(TopicId.RUNS), Consumed.with(keys, runSerde)
                        .withTimestampExtractor(new EventTimeExtractor()).withName("runs-source"))
                .process(new LateEventGate<RunEvent>(horizon, RunEvent::getId, serdes::serialize),
                        Named.as("runs-lateness-gate"))
                .split(Named.as("runs-"))
                .branch((key, value) -> value instanceof RejectedEvent, Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        deadLetters(runs.get("runs-rejected"), "runs-dead-letter-sink");
        runs.get("runs-accepted")
                .mapValues(value -> (RunEvent) value, Named.as("runs-accepted-as-run-event"))
                .process(() -> new ReplayVerifier(config.originalWait(), config.stateRetention()),
                        Named.as("replay-verification"),
                        ReplayVerifier.RUNS_STORE, ReplayVerifier.DEADLINES_STORE, ReplayVerifier.EXPIRY_STORE)
                .to(catalog.name(TopicId.REPLAY_VERDICTS), Produced.with(keys, serdes.serde(ReplayVerdict.class))
                        .withName("replay-verdicts-sink"));

        return builder.build();
    }

    private void deadLetters(KStream<String, Object> rejected, String sinkName) {
        Serde<Object> anyRecord = Serdes.serdeFrom(
                (topic, value) -> serdes.serialize((SpecificRecord) value),
                (topic, bytes) -> serdes.deserializeAny(bytes));
        rejected.to(catalog.name(TopicId.DEAD_LETTER), Produced.with(Serdes.String(), anyRecord).withName(sinkName));
    }
}
