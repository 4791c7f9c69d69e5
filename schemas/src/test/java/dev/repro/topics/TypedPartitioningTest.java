package dev.repro.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class TypedPartitioningTest {

    @Test
    void buildsGoByArtifactNameAndDeploymentsAndDesiredStatesByEnvironment() {
        String recipe = "ghcr.io/acme/app@0123456789abcdef0123456789abcdef01234567#-";
        assertThat(TypedPartitioning.partition(TopicId.BUILDS, recipe, 6)).isEqualTo(ArtifactPartitioner.partition(recipe, 6));
        assertThat(TypedPartitioning.partition(TopicId.DEPLOYMENTS, "app/prod/eu-1", 6))
                .isEqualTo(EnvironmentPartitioner.partition("app/prod", 6))
                .isEqualTo(TypedPartitioning.partition(TopicId.DESIRED, "app/prod", 6));
    }

    @Test
    void everyOtherTopicGoesWhereKafkasDefaultPartitionerPutsTheKey() {
        for (TopicId topic : List.of(TopicId.RUNS, TopicId.TESTS, TopicId.REJECTED)) {
            for (String key : List.of("run-1", "suite@abc", "ümlaut-key")) {
                assertThat(TypedPartitioning.partition(topic, key, 7))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 7));
            }
        }
    }

    @Test
    void theSinkPartitionerAgreesWithThePartitionFunction() {
        assertThat(TypedPartitioning.<byte[]>of(TopicId.DEPLOYMENTS).partitions("t", "app/prod/us-1", null, 5))
                .contains(java.util.Set.of(EnvironmentPartitioner.partition("app/prod", 5)));
    }
}
