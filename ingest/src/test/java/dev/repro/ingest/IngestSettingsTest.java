package dev.repro.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

class IngestSettingsTest {

    @Test
    void shouldDefaultToLoopbackPort8080WithA1MiBLimit() {
        IngestSettings settings = IngestSettings.from(ReproConfig.of(Map.of()));
        assertThat(settings.bind().getAddress().isLoopbackAddress()).isTrue();
        assertThat(settings.bind().getPort()).isEqualTo(8080);
        assertThat(settings.maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(settings.authenticationRequired()).isFalse();
    }

    @Test
    void shouldRefuseToListenBeyondLoopbackWithoutCredentials() {
        assertThatThrownBy(() -> IngestSettings.from(ReproConfig.of(Map.of(IngestSettings.BIND, "0.0.0.0:8080"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(IngestSettings.BIND)
                .hasMessageContaining("without credentials");
    }

    @Test
    void shouldListenBeyondLoopbackWhenTokensAreConfigured() {
        IngestSettings settings = IngestSettings.from(ReproConfig.of(Map.of(IngestSettings.BIND, "0.0.0.0:0",
                IngestSettings.TOKENS, "github=tok-github-0123456789,jenkins=tok-jenkins-0123456789")));
        assertThat(settings.tokens()).containsEntry("tok-github-0123456789", "github").hasSize(2);
        assertThat(settings.authenticationRequired()).isTrue();
    }

    @Test
    void shouldNameTheKeyAndNeverTheSecretWhenCredentialsAreMalformed() {
        assertThatThrownBy(() -> IngestSettings.from(ReproConfig.of(Map.of(IngestSettings.TOKENS, "github=tiny7"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(IngestSettings.TOKENS)
                .hasMessageContaining("shorter than 16")
                .hasMessageNotContaining("tiny7");
        assertThatThrownBy(() -> IngestSettings.from(ReproConfig.of(Map.of(IngestSettings.HMAC_SECRETS, "nosecret"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(IngestSettings.HMAC_SECRETS);
        assertThatThrownBy(() -> IngestSettings.from(ReproConfig.of(Map.of(IngestSettings.BIND, "localhost"))))
                .hasMessageContaining(IngestSettings.BIND);
        assertThatThrownBy(() -> IngestSettings.from(ReproConfig.of(Map.of(IngestSettings.MAX_BODY_BYTES, "lots"))))
                .hasMessageContaining(IngestSettings.MAX_BODY_BYTES);
    }
}
