package dev.repro.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.repro.testkit.KafkaBroker;

class TopicProvisionerTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }

    @Test
    void createsTheWholeCatalogWithItsCleanupPoliciesThenFindsItThere() {
        TopicCatalog catalog = TopicCatalog.of(KAFKA.uniquePrefix(), 2, (short) 1);
        try (Admin admin = admin()) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));

            TopicProvisioner.Result first = provisioner.ensure(catalog.all());
            assertThat(first.created()).hasSize(catalog.all().size());
            assertThat(admin.describeTopics(catalog.all().stream().map(TopicSpec::name).toList()).allTopicNames()
                    .toCompletionStage().toCompletableFuture().join().values())
                    .as("ensure returns once every partition is led: producing to it right away is safe")
                    .allSatisfy(d -> assertThat(d.partitions()).allSatisfy(p -> assertThat(p.leader()).isNotNull()));
            assertThat(first.existing()).isEmpty();
            assertThat(provisioner.missing(catalog.all())).isEmpty();

            Map<String, TopicProvisioner.TopicState> states =
                    provisioner.describe(catalog.all().stream().map(TopicSpec::name).toList());
            for (TopicSpec spec : catalog.all()) {
                TopicProvisioner.TopicState state = states.get(spec.name());
                assertThat(state.partitions()).as(spec.name()).isEqualTo(2);
                assertThat(state.cleanupPolicy()).as(spec.name()).isEqualTo(spec.cleanupPolicy());
            }
            assertThat(states.get(catalog.spec(TopicId.REBUILD_VERDICTS).name()).cleanupPolicy()).isEqualTo("compact");
            assertThat(states.get(catalog.spec(TopicId.SLI).name()).cleanupPolicy()).isEqualTo("compact");

            TopicProvisioner.Result second = provisioner.ensure(catalog.all());
            assertThat(second.created()).isEmpty();
            assertThat(second.existing()).hasSize(catalog.all().size());
        }
    }

    @Test
    void refusesATopicThatExistsWithTheWrongCleanupPolicy() throws Exception {
        TopicCatalog catalog = TopicCatalog.of(KAFKA.uniquePrefix(), 1, (short) 1);
        TopicSpec drift = catalog.spec(TopicId.DRIFT);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(drift.name(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(List.of(drift)))
                    .isInstanceOf(TopicProvisioningException.class)
                    .hasMessageContaining(drift.name())
                    .hasMessageContaining("cleanup.policy=delete")
                    .hasMessageContaining("needs cleanup.policy=compact");
        }
    }

    @Test
    void reportsMissingTopics() {
        TopicCatalog catalog = TopicCatalog.of(KAFKA.uniquePrefix(), 1, (short) 1);
        try (Admin admin = admin()) {
            assertThat(new TopicProvisioner(admin, Duration.ofSeconds(30)).missing(catalog.all()))
                    .hasSize(catalog.all().size());
        }
    }
}
