package dev.repro.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A cluster built with {@code scram(...)}: logins are checked, and a user may do only what an ACL allows. */
class SecuredLocalKafkaClusterTest {

    private static final String TOPIC = "secured";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(120)
    void shouldLetTheAdministratorInAndHoldOtherUsersToTheirAcls() throws Exception {
        // Given a secured one-node cluster, a topic and a user allowed to write it and nothing else
        LocalKafkaCluster cluster = LocalKafkaCluster.builder(dataDir).nodes(1).scram("admin", "admin-secret").build();
        try {
            cluster.start();
            assertThat(cluster.secured()).isTrue();
            try (Admin admin = Admin.create(cluster.adminClientProperties())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty()),
                        new NewTopic("other", Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("writer",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "writer-secret")))
                        .all().get(30, TimeUnit.SECONDS);
                admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                        new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                        .all().get(30, TimeUnit.SECONDS);
            }

            // When it writes both topics, Then only the one it may write takes the record
            try (KafkaProducer<String, String> writer = producer(cluster, "writer", "writer-secret")) {
                assertThat(writer.send(new ProducerRecord<>(TOPIC, "k", "v")).get(30, TimeUnit.SECONDS).offset()).isZero();
                assertThatThrownBy(() -> writer.send(new ProducerRecord<>("other", "k", "v")).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            // and a wrong password is no login at all
            try (KafkaProducer<String, String> impostor = producer(cluster, "writer", "guessed")) {
                assertThatThrownBy(() -> impostor.send(new ProducerRecord<>(TOPIC, "k", "v")).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        } finally {
            cluster.stop();
        }
    }

    @Test
    void shouldRefuseNamesThatCannotBeQuotedSafely() {
        assertThatThrownBy(() -> LocalKafkaCluster.builder(dataDir).scram("admin", "pass\"word"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin password");
    }

    private static KafkaProducer<String, String> producer(LocalKafkaCluster cluster, String user, String password) {
        Map<String, Object> props = new HashMap<>(LocalKafkaCluster.scramClientProperties(user, password));
        props.put("bootstrap.servers", cluster.bootstrapServers());
        props.put("max.block.ms", 30_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
