package dev.repro.drift;

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

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.EventTimeExtractor;
import dev.repro.streams.LateEventGate;
import dev.repro.streams.StateStores;
import dev.repro.topics.EnvironmentPartitioner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * The drift detector's topology: a pure function of the topic catalog, the serdes and the settings.
 * <pre>
 * desired-source ─┬ tombstones → desired-removals ──────────────────────────┐
 *                 └ declarations → desired-lateness-gate ──────────────────┤ desired-inputs
 * deployments-source → deployments-lateness-gate ─────────────────────────── drift-inputs
 *   → drift-inputs-key-check
 *       ├ late / empty / bad key → dead-letter-sink (repro.deadletter)
 *       └ drift-detection [drift-by-environment-store, convergence-deadlines-store, environment-expiry-store]
 *           → drift-sink (repro.drift, partitioned by service/environment)
 * </pre>
 * Both inputs are partitioned by {@code service/environment} ({@link EnvironmentPartitioner}), so
 * one task sees every cluster of an environment and its desired states: no repartition. Record
 * timestamps are event times ({@link EventTimeExtractor}; a tombstone keeps its record timestamp);
 * statuses carry their {@code as_of} as timestamp.
 */
public final class DriftTopology {

    private final TopicCatalog catalog;
    private final AvroSerdes serdes;
    private final DriftConfig config;

    public DriftTopology(TopicCatalog catalog, AvroSerdes serdes, DriftConfig config) {
        this.catalog = catalog;
        this.serdes = serdes;
        this.config = config;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> keys = Serdes.String();
        long lateness = config.latenessGrace().toMillis();

        builder.addStateStore(StateStores.objects(DriftDetector.ENVIRONMENTS_STORE, new StateSerdes(serdes).environmentDrift()));
        builder.addStateStore(StateStores.uncached(DriftDetector.DEADLINES_STORE, Serdes.String()));
        builder.addStateStore(StateStores.keyValue(DriftDetector.EXPIRY_STORE, Serdes.String()));

        Map<String, KStream<String, DesiredState>> desired = builder
                .stream(catalog.name(TopicId.DESIRED), Consumed.with(keys, serdes.serde(DesiredState.class))
                        .withTimestampExtractor(new EventTimeExtractor()).withName("desired-source"))
                .split(Named.as("desired-"))
                .branch((key, value) -> value == null && key != null, Branched.as("tombstones"))
                .defaultBranch(Branched.as("declarations"));
        KStream<String, Object> removals = desired.get("desired-tombstones")
                .mapValues(value -> (Object) DesiredRemoval.INSTANCE, Named.as("desired-removals"));
        KStream<String, Object> declarations = desired.get("desired-declarations")
                .process(new LateEventGate<DesiredState>(lateness, DesiredState::getId, serdes::serialize),
                        Named.as("desired-lateness-gate"));
        KStream<String, Object> deployments = builder
                .stream(catalog.name(TopicId.DEPLOYMENTS), Consumed.with(keys, serdes.serde(DeploymentEvent.class))
                        .withTimestampExtractor(new EventTimeExtractor()).withName("deployments-source"))
                .process(new LateEventGate<DeploymentEvent>(lateness, DeploymentEvent::getId, serdes::serialize),
                        Named.as("deployments-lateness-gate"));

        Map<String, KStream<String, Object>> inputs = removals
                .merge(declarations, Named.as("desired-inputs"))
                .merge(deployments, Named.as("drift-inputs"))
                .process(new TargetKeyGate(serdes), Named.as("drift-inputs-key-check"))
                .split(Named.as("drift-inputs-"))
                .branch((key, value) -> value instanceof RejectedEvent, Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        inputs.get("drift-inputs-rejected").to(catalog.name(TopicId.DEAD_LETTER),
                Produced.with(keys, anyRecord()).withName("dead-letter-sink"));
        inputs.get("drift-inputs-accepted")
                .process(() -> new DriftDetector(config.convergenceGrace(), config.retention()), Named.as("drift-detection"),
                        DriftDetector.ENVIRONMENTS_STORE, DriftDetector.DEADLINES_STORE, DriftDetector.EXPIRY_STORE)
                .to(catalog.name(TopicId.DRIFT), Produced.with(keys, serdes.serde(DriftStatus.class))
                        .withStreamPartitioner(new EnvironmentPartitioner<>()).withName("drift-sink"));

        return builder.build();
    }

    /** The dead-letter records: RejectedEvent, written like any contract record. */
    private Serde<Object> anyRecord() {
        return Serdes.serdeFrom(
                (topic, value) -> serdes.serialize((SpecificRecord) value),
                (topic, bytes) -> serdes.deserializeAny(bytes));
    }
}
