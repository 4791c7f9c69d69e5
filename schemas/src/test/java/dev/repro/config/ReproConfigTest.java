package dev.repro.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldUseTheDefaultsWhenNothingIsSet() {
        ReproConfig config = ReproConfig.load(Map.of());

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(config.topicPrefix()).isEqualTo("repro.");
        assertThat(config.topicPartitions()).isEqualTo(3);
        assertThat(config.topicReplicationFactor()).isEqualTo((short) 1);
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheFileAndTheFileOverrideTheDefaults() throws IOException {
        Path file = dir.resolve("repro.properties");
        Files.writeString(file, "repro.topic.prefix=team-a.\nREPRO_BOOTSTRAP_SERVERS=file:9092\n");

        ReproConfig config = ReproConfig.load(Map.of(
                ReproConfig.CONFIG_FILE, file.toString(),
                "REPRO_BOOTSTRAP_SERVERS", "env-1:9092,env-2:9092",
                "PATH", "/usr/bin"));

        assertThat(config.topicPrefix()).isEqualTo("team-a.");
        assertThat(config.bootstrapServers()).isEqualTo("env-1:9092,env-2:9092");
        assertThat(config.describe()).doesNotContainKey("PATH");
    }

    @Test
    void shouldMapKafkaVariablesOntoClientSettings() {
        ReproConfig config = ReproConfig.load(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_HEAP_OPTS", "-Xmx1g"));

        assertThat(config.kafkaClientOverrides()).containsExactly(
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("security.protocol", "SASL_SSL"));
    }

    @Test
    void shouldMaskSecretsWhenDescribed() {
        ReproConfig config = ReproConfig.load(Map.of(
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required password=\"p\";",
                "REPRO_INGEST_TOKENS", "ci=abc"));

        assertThat(config.describe()).containsEntry("KAFKA_SASL_JAAS_CONFIG", "******")
                .containsEntry("REPRO_INGEST_TOKENS", "******");
    }

    @Test
    void shouldNameTheKeyAndTheRuleWhenAValueIsInvalid() {
        assertThatThrownBy(() -> ReproConfig.of(Map.of("REPRO_TOPIC_PARTITIONS", "many")).topicPartitions())
                .isInstanceOf(ConfigException.class)
                .hasMessage("REPRO_TOPIC_PARTITIONS: must be a whole number, got 'many'");
        assertThatThrownBy(() -> ReproConfig.of(Map.of("REPRO_TOPIC_PARTITIONS", "0")).topicPartitions())
                .hasMessage("REPRO_TOPIC_PARTITIONS: must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> ReproConfig.of(Map.of("REPRO_BOOTSTRAP_SERVERS", "localhost")).bootstrapServers())
                .hasMessage("REPRO_BOOTSTRAP_SERVERS: expected host:port[,host:port…], got 'localhost'");
    }

    @Test
    void shouldRefuseAConfigFileThatCannotBeReadOrHasUnknownKeys() throws IOException {
        assertThatThrownBy(() -> ReproConfig.load(Map.of(ReproConfig.CONFIG_FILE, dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("REPRO_CONFIG_FILE: cannot read " + dir.resolve("missing"));
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "bootstrap.servers=x:1\n");
        assertThatThrownBy(() -> ReproConfig.load(Map.of(ReproConfig.CONFIG_FILE, file.toString())))
                .hasMessage(file + ": unknown key 'bootstrap.servers' (keys start with REPRO_ or KAFKA_)");
    }

    @Test
    void durationsAreShortFormsOrIso8601AndABadOneNamesTheKey() {
        ReproConfig config = ReproConfig.of(Map.of("A", "500ms", "B", "30m", "C", "14d", "D", "PT1H30M", "E", "soon"));

        assertThat(config.duration("A", java.time.Duration.ZERO)).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(config.duration("B", java.time.Duration.ZERO)).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(config.duration("C", java.time.Duration.ZERO)).isEqualTo(java.time.Duration.ofDays(14));
        assertThat(config.duration("D", java.time.Duration.ZERO)).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(config.duration("UNSET", java.time.Duration.ofSeconds(7))).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThatThrownBy(() -> config.duration("E", java.time.Duration.ZERO)).isInstanceOf(ConfigException.class)
                .hasMessage("E: expected a duration like 500ms, 30m, 14d or PT30M, got 'soon'");
    }
}
