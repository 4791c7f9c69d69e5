package dev.repro.verifier;

import java.util.List;

import dev.repro.app.ReproApp;
import dev.repro.config.ReproConfig;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/** The verifier as {@code repro up} starts it (registered in {@code META-INF/services}); {@link VerifierMain} starts the same alone. */
public final class VerifierApp implements ReproApp {

    public static final String NAME = "verifier";

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
        VerifierConfig settings = VerifierConfig.from(config);
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        VerifierTopology topology = new VerifierTopology(catalog, AvroSerdes.create(), settings);
        return StreamsAppRunner.start(NAME, topology.build(), config, settings.applicationId(), List.of(
                catalog.name(TopicId.BUILDS) + " → " + catalog.name(TopicId.REBUILD_VERDICTS),
                catalog.name(TopicId.RUNS) + " → " + catalog.name(TopicId.REPLAY_VERDICTS)));
    }
}
