package dev.repro.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.ReproSchemas;

class TopicCatalogTest {

    @Test
    void shouldNameEveryTopicWithTheDefaultPrefix() {
        // When
        TopicCatalog catalog = TopicCatalog.defaults();

        // Then
        assertThat(catalog.all()).extracting(TopicSpec::name).containsExactly(
                "repro.events.archive",
                "repro.events.builds",
                "repro.events.deployments",
                "repro.events.desired",
                "repro.events.runs",
                "repro.events.tests",
                "repro.events.rejected",
                "repro.deadletter",
                "repro.verdicts.rebuild",
                "repro.verdicts.replay",
                "repro.drift",
                "repro.sli",
                "repro.alerts");
        assertThat(catalog.prefix()).isEqualTo("repro.");
        assertThat(catalog.all()).allSatisfy(spec -> {
            assertThat(spec.partitions()).isEqualTo(3);
            assertThat(spec.replicationFactor()).isEqualTo((short) 1);
        });
    }

    @Test
    void shouldNameTopicsWithACustomPrefix() {
        // When
        TopicCatalog catalog = TopicCatalog.of("staging-repro_", 12, (short) 3);

        // Then
        assertThat(catalog.name(TopicId.BUILDS)).isEqualTo("staging-repro_events.builds");
        assertThat(catalog.name(TopicId.DEAD_LETTER)).isEqualTo("staging-repro_deadletter");
        assertThat(catalog.spec(TopicId.SLI).partitions()).isEqualTo(12);
        assertThat(catalog.spec(TopicId.SLI).replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void shouldCompactExactlyTheResultTopicsAndTheDesiredState() {
        // When
        TopicCatalog catalog = TopicCatalog.defaults();

        // Then
        assertThat(catalog.all()).filteredOn(TopicSpec::compacted).extracting(TopicSpec::name)
                .containsExactlyInAnyOrder("repro.verdicts.rebuild", "repro.verdicts.replay", "repro.drift",
                        "repro.sli", "repro.alerts", "repro.events.desired");
        assertThat(catalog.all()).filteredOn(spec -> !spec.compacted())
                .allSatisfy(spec -> assertThat(spec.cleanupPolicy()).isEqualTo("delete"));
    }

    @Test
    void shouldGiveDeleteTopicsARetentionAndTheArchiveTheLongest() {
        // When
        TopicCatalog catalog = TopicCatalog.defaults();

        // Then
        assertThat(catalog.spec(TopicId.ARCHIVE).configs())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cleanup.policy", "delete",
                        "retention.ms", Long.toString(Duration.ofDays(365).toMillis())));
        assertThat(catalog.spec(TopicId.BUILDS).configs())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cleanup.policy", "delete",
                        "retention.ms", Long.toString(Duration.ofDays(7).toMillis())));
        assertThat(catalog.spec(TopicId.DEAD_LETTER).cleanupPolicy()).isEqualTo("delete");
    }

    @Test
    void shouldSetOnlyTheCleanupPolicyOfCompactedTopics() {
        // When
        TopicSpec drift = TopicCatalog.defaults().spec(TopicId.DRIFT);

        // Then
        assertThat(drift.retention()).isEmpty();
        assertThat(drift.configs()).containsExactlyEntriesOf(Map.of("cleanup.policy", "compact"));
    }

    @Test
    void shouldCarryEveryContractRecordAsTheValueOfSomeTopic() {
        // When
        TopicCatalog catalog = TopicCatalog.defaults();

        // Then
        assertThat(catalog.all()).extracting(TopicSpec::valueType).hasSameElementsAs(ReproSchemas.recordClasses());
        assertThat(catalog.spec(TopicId.BUILDS).valueType()).isEqualTo(BuildEvent.class);
        assertThat(catalog.spec(TopicId.DEAD_LETTER).valueType()).isEqualTo(RejectedEvent.class);
    }

    @Test
    void shouldFindATopicByItsFullName() {
        // Given
        TopicCatalog catalog = TopicCatalog.of("ci.", 1, (short) 1);

        // Then
        assertThat(catalog.byName("ci.verdicts.replay")).map(TopicSpec::id).contains(TopicId.REPLAY_VERDICTS);
        assertThat(catalog.byName("repro.verdicts.replay")).isEmpty();
        assertThat(catalog.byName("verdicts.replay")).isEmpty();
    }

    @Test
    void shouldDescribeTheKeyOfEveryTopic() {
        assertThat(TopicId.BUILDS.keyDescription()).startsWith("recipe key");
        assertThat(TopicId.SLI.keyDescription()).isEqualTo("sli/scope/window");
        assertThat(TopicId.values()).allSatisfy(id -> assertThat(id.keyDescription()).isNotBlank());
    }

    @Test
    void shouldRejectAnEmptyPrefix() {
        assertThatThrownBy(() -> TopicCatalog.of("", 3, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic prefix must not be empty");
        assertThatThrownBy(() -> TopicCatalog.of(null, 3, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic prefix must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"repro/", "repro ", "répro.", "team:repro.", "repro*"})
    void shouldRejectAPrefixWithCharactersKafkaDoesNotAllow(String prefix) {
        assertThatThrownBy(() -> TopicCatalog.of(prefix, 3, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic prefix '" + prefix + "' may only contain ASCII letters, digits, '.', '_' and '-'");
    }

    @Test
    void shouldRejectAPrefixThatMakesTopicNamesTooLong() {
        assertThatThrownBy(() -> TopicCatalog.of("p".repeat(240), 3, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 249");
    }

    @Test
    void shouldRejectNoPartitionsOrNoReplicas() {
        assertThatThrownBy(() -> TopicCatalog.of("repro.", 0, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions of repro.events.archive must be at least 1, was 0");
        assertThatThrownBy(() -> TopicCatalog.of("repro.", 3, (short) 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replication factor of repro.events.archive must be at least 1, was 0");
    }

    @Test
    void shouldBeImmutable() {
        // Given
        TopicCatalog catalog = TopicCatalog.defaults();
        TopicSpec spec = catalog.spec(TopicId.BUILDS);

        // Then
        assertThatThrownBy(() -> catalog.all().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.configs().put("retention.ms", "1")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(TopicCatalog.defaults().all()).isEqualTo(catalog.all());
    }

    @Test
    void shouldDescribeTheTopicForTheAdminClient() {
        // When
        NewTopic topic = TopicCatalog.defaults().spec(TopicId.ALERTS).newTopic();

        // Then
        assertThat(topic.name()).isEqualTo("repro.alerts");
        assertThat(topic.numPartitions()).isEqualTo(3);
        assertThat(topic.replicationFactor()).isEqualTo((short) 1);
        assertThat(topic.configs()).containsExactlyEntriesOf(Map.of("cleanup.policy", "compact"));
    }
}
