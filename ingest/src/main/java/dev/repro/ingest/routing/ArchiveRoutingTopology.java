package dev.repro.ingest.routing;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;

import dev.repro.ingest.event.EventDecoder;
import dev.repro.schema.ArchivedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StateStores;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TypedPartitioning;

/**
 * The exactly-once stage that derives the typed topics from {@code repro.events.archive}: every
 * archived event is decoded again (the same decoder ingest validated it with; inside ingest
 * the decoder hands over the decode its HTTP threads just made of the same bytes), a repeated
 * {@code source}+{@code id} is dropped, and each typed record goes to its topic, keyed as the
 * contract says and stamped with the time ingest received it (the apps read event time from
 * the payload). Because this is the only writer of the typed
 * topics, the archive and the typed topics can never disagree, and re-deriving everything from
 * the archive is running this topology under a new application id.
 */
public final class ArchiveRoutingTopology {

    public static final String SOURCE = "archived-events";
    public static final String ROUTER = "route-archived-event";
    public static final String SEEN_IDS_STORE = "accepted-event-ids-store";

    /** The typed topics, in the order their sinks are declared. */
    static final List<TopicId> TYPED = List.of(TopicId.BUILDS, TopicId.DEPLOYMENTS, TopicId.DESIRED, TopicId.RUNS,
            TopicId.TESTS, TopicId.REJECTED);

    private ArchiveRoutingTopology() {
    }

    public static Topology build(TopicCatalog catalog, AvroSerdes serdes, EventDecoder decoder, Duration dedupeRetention) {
        return build(catalog.name(TopicId.ARCHIVE), catalog, serdes, decoder, dedupeRetention);
    }

    /**
     * The same topology reading another archive: {@code repro replay-archive} re-derives every
     * typed topic of {@code catalog} (fresh topics under a new prefix) from the live archive.
     */
    public static Topology build(String archiveTopic, TopicCatalog catalog, AvroSerdes serdes, EventDecoder decoder,
                                 Duration dedupeRetention) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), serdes.serde(ArchivedEvent.class).deserializer(),
                archiveTopic);
        topology.addProcessor(ROUTER, () -> new ArchiveRouter(decoder, serdes, dedupeRetention), SOURCE);
        topology.addStateStore(StateStores.keyValue(SEEN_IDS_STORE, Serdes.Long()), ROUTER);
        for (TopicId id : TYPED) {
            // each typed record in the partition its archived event is in (TypedPartitioning): every recipe
            // of an artifact together for the verifier, every cluster of an environment for the drift detector
            topology.addSink(sinkName(id), catalog.name(id), new StringSerializer(), new ByteArraySerializer(),
                    TypedPartitioning.<byte[]>of(id), ROUTER);
        }
        return topology;
    }

    static String sinkName(TopicId id) {
        return id.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-sink";
    }
}
