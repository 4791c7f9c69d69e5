package dev.repro.sli;

import java.util.List;
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
import org.apache.kafka.streams.kstream.Repartitioned;

import dev.repro.schema.Alert;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.SliValue;
import dev.repro.schema.TestEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.LateEventGate;
import dev.repro.streams.StateStores;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * The sli-aggregator's topology: a pure function of the topic catalog, the serdes and the settings.
 * <pre>
 * inputs-source (builds, runs, tests, rebuild and replay verdicts, drift) → inputs-lateness-gate
 *   ├ late / empty → inputs-dead-letter-sink (repro.deadletter)
 *   └ sli-observation [sli-contributions-store, sli-contributions-expiry-store, suite-runs-store,
 *                      rebuild-verdicts-store, replay-verdicts-store, drift-status-store]
 *       ├ SLI deltas (by sli/scope) and alert conditions (by alert key) → sli-updates-by-key (repartition)
 *       │    → sli-aggregation [sli-windows-store, sli-buckets-store, slo-alerts-store, verdict-alerts-store]
 *       │        ├ SliValue → sli-values-sink (repro.sli)
 *       │        └ SLO_BURN and verdict alerts → alerts-sink (repro.alerts)
 *       └ unexpected record types → observations-dead-letter-sink (repro.deadletter)
 * </pre>
 * Record timestamps are event times ({@link SliEventTime}); outputs carry their {@code as_of}.
 */
public final class SliTopology {

    /** Every state store the HTTP API reads. */
    public static final List<String> QUERYABLE_STORES = List.of(SliAggregation.WINDOWS_STORE, SliAggregation.SLO_ALERTS_STORE,
            VerdictAlertLifecycle.ALERTS_STORE, SliObservation.REBUILD_STORE, SliObservation.REPLAY_STORE,
            SliObservation.DRIFT_STORE);

    private final TopicCatalog catalog;
    private final AvroSerdes serdes;
    private final SliConfig config;

    public SliTopology(TopicCatalog catalog, AvroSerdes serdes, SliConfig config) {
        this.catalog = catalog;
        this.serdes = serdes;
        this.config = config;
    }

    /** The input topics, in the order the source lists them. */
    public List<String> inputTopics() {
        return List.of(TopicId.BUILDS, TopicId.RUNS, TopicId.TESTS, TopicId.REBUILD_VERDICTS, TopicId.REPLAY_VERDICTS,
                TopicId.DRIFT).stream().map(catalog::name).toList();
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> keys = Serdes.String();
        Serde<Object> anyRecord = anyRecord();
        StateSerdes state = new StateSerdes(serdes);

        builder.addStateStore(StateStores.keyValue(SliObservation.CONTRIBUTIONS_STORE, state.contribution()));
        builder.addStateStore(StateStores.keyValue(SliObservation.EXPIRY_STORE, Serdes.String()));
        builder.addStateStore(StateStores.keyValue(SliObservation.SUITES_STORE, state.suiteRuns()));
        builder.addStateStore(StateStores.keyValue(SliObservation.REBUILD_STORE, serdes.serde(RebuildVerdict.class)));
        builder.addStateStore(StateStores.keyValue(SliObservation.REPLAY_STORE, serdes.serde(ReplayVerdict.class)));
        builder.addStateStore(StateStores.keyValue(SliObservation.DRIFT_STORE, serdes.serde(DriftStatus.class)));
        builder.addStateStore(StateStores.keyValue(SliAggregation.WINDOWS_STORE, state.scopeState()));
        builder.addStateStore(StateStores.objects(SliAggregation.BUCKETS_STORE, state.counts()));
        builder.addStateStore(StateStores.keyValue(SliAggregation.SLO_ALERTS_STORE, state.alertState()));
        builder.addStateStore(StateStores.keyValue(VerdictAlertLifecycle.ALERTS_STORE, state.alertState()));

        Map<String, KStream<String, Object>> inputs = builder
                .stream(inputTopics(), Consumed.with(keys, anyRecord).withTimestampExtractor(new SliEventTime())
                        .withName("inputs-source"))
                .process(new LateEventGate<Object>(config.grace().toMillis(), SliTopology::eventId,
                        value -> serdes.serialize((SpecificRecord) value)), Named.as("inputs-lateness-gate"))
                .split(Named.as("inputs-"))
                .branch((key, value) -> value instanceof RejectedEvent, Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        inputs.get("inputs-rejected").to(catalog.name(TopicId.DEAD_LETTER),
                Produced.with(keys, anyRecord).withName("inputs-dead-letter-sink"));

        Map<String, KStream<String, Object>> observed = inputs.get("inputs-accepted")
                .process(() -> new SliObservation(config, serdes), Named.as("sli-observation"),
                        SliObservation.CONTRIBUTIONS_STORE, SliObservation.EXPIRY_STORE, SliObservation.SUITES_STORE,
                        SliObservation.REBUILD_STORE, SliObservation.REPLAY_STORE, SliObservation.DRIFT_STORE)
                .split(Named.as("observations-"))
                .branch((key, value) -> value instanceof SliDelta || value instanceof Alert, Branched.as("updates"))
                .defaultBranch(Branched.as("rejected"));
        observed.get("observations-rejected").to(catalog.name(TopicId.DEAD_LETTER),
                Produced.with(keys, anyRecord).withName("observations-dead-letter-sink"));

        Map<String, KStream<String, Object>> aggregated = observed.get("observations-updates")
                .repartition(Repartitioned.<String, Object>as("sli-updates-by-key")
                        .withKeySerde(keys).withValueSerde(state.update()))
                .process(() -> new SliAggregation(config), Named.as("sli-aggregation"),
                        SliAggregation.WINDOWS_STORE, SliAggregation.BUCKETS_STORE, SliAggregation.SLO_ALERTS_STORE,
                        VerdictAlertLifecycle.ALERTS_STORE)
                .split(Named.as("aggregated-"))
                .branch((key, value) -> value instanceof SliValue, Branched.as("sli-values"))
                .defaultBranch(Branched.as("alerts"));
        aggregated.get("aggregated-sli-values")
                .mapValues(value -> (SliValue) value, Named.as("aggregated-as-sli-value"))
                .to(catalog.name(TopicId.SLI), Produced.with(keys, serdes.serde(SliValue.class)).withName("sli-values-sink"));
        aggregated.get("aggregated-alerts")
                .mapValues(value -> (Alert) value, Named.as("aggregated-as-alert"))
                .to(catalog.name(TopicId.ALERTS), Produced.with(keys, serdes.serde(Alert.class)).withName("alerts-sink"));

        return builder.build();
    }

    /** Any contract record, by its schema fingerprint (the value type differs per input topic). */
    private Serde<Object> anyRecord() {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : serdes.serialize((SpecificRecord) value),
                (topic, bytes) -> bytes == null ? null : serdes.deserializeAny(bytes));
    }

    static String eventId(Object value) {
        if (value instanceof BuildEvent b) {
            return b.getId();
        } else if (value instanceof RunEvent r) {
            return r.getId();
        } else if (value instanceof TestEvent t) {
            return t.getId();
        } else if (value instanceof RebuildVerdict v) {
            return v.getRecipeKey();
        } else if (value instanceof ReplayVerdict v) {
            return v.getOriginalRunId();
        } else if (value instanceof DriftStatus d) {
            return d.getTarget();
        }
        return null;
    }
}
