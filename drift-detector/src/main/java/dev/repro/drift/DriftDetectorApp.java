package dev.repro.drift;

import java.util.List;

import dev.repro.app.ReproApp;
import dev.repro.config.ReproConfig;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * The drift detector as {@code repro up} starts it (registered in {@code META-INF/services});
 * {@link DriftDetectorMain} starts the same alone.
 */
public final class DriftDetectorApp implements ReproApp {

    public static final String NAME = "drift-detector";

    @Override
    public String name() {
        return NAME;
    }

    /** After ingest, with the other stream apps. */
    @Override
    public int order() {
        return 20;
    }

    @Override
    public StreamsAppRunner start(ReproConfig config) {
        DriftConfig settings = DriftConfig.from(config);
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        DriftTopology topology = new DriftTopology(catalog, AvroSerdes.create(), settings);
        return StreamsAppRunner.start(NAME, topology.build(), config, settings.applicationId(), List.of(
                catalog.name(TopicId.DESIRED) + " + " + catalog.name(TopicId.DEPLOYMENTS) + " → " + catalog.name(TopicId.DRIFT)));
    }
}
