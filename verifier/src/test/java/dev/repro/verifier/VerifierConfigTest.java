package dev.repro.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

class VerifierConfigTest {

    @Test
    void shouldDefaultToThirtyMinutesWaitFourteenDaysRetentionAndAPrefixedApplicationId() {
        VerifierConfig config = VerifierConfig.from(ReproConfig.of(Map.of("REPRO_TOPIC_PREFIX", "acme.")));

        assertThat(config.applicationId()).isEqualTo("acme.verifier");
        assertThat(config.originalWait()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.stateRetention()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void shouldReadShortAndIsoDurations() {
        VerifierConfig config = VerifierConfig.from(ReproConfig.of(Map.of(
                VerifierConfig.ORIGINAL_WAIT, "90s", VerifierConfig.STATE_RETENTION, "P3D",
                VerifierConfig.APPLICATION_ID, "my-verifier")));

        assertThat(config.originalWait()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.stateRetention()).isEqualTo(Duration.ofDays(3));
        assertThat(config.applicationId()).isEqualTo("my-verifier");
    }

    @Test
    void shouldNameTheKeyOfABadSetting() {
        assertThatThrownBy(() -> VerifierConfig.from(ReproConfig.of(Map.of(VerifierConfig.ORIGINAL_WAIT, "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(VerifierConfig.ORIGINAL_WAIT + ": ");
        assertThatThrownBy(() -> VerifierConfig.from(ReproConfig.of(Map.of(VerifierConfig.ORIGINAL_WAIT, "2d",
                VerifierConfig.STATE_RETENTION, "1d"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(VerifierConfig.STATE_RETENTION + ": ");
    }
}
