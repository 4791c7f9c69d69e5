package dev.repro.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

class DriftConfigTest {

    @Test
    void shouldDefaultToTenMinutesGraceSevenDaysRetentionOneDayLatenessAndAPrefixedApplicationId() {
        DriftConfig config = DriftConfig.from(ReproConfig.of(Map.of("REPRO_TOPIC_PREFIX", "acme.")));

        assertThat(config.applicationId()).isEqualTo("acme.drift-detector");
        assertThat(config.convergenceGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.latenessGrace()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void shouldReadIsoAndShortDurations() {
        DriftConfig config = DriftConfig.from(ReproConfig.of(Map.of(
                DriftConfig.CONVERGENCE_GRACE, "PT15M", DriftConfig.RETENTION, "P3D", DriftConfig.LATENESS_GRACE, "12h",
                DriftConfig.APPLICATION_ID, "my-drift")));

        assertThat(config.convergenceGrace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.retention()).isEqualTo(Duration.ofDays(3));
        assertThat(config.latenessGrace()).isEqualTo(Duration.ofHours(12));
        assertThat(config.applicationId()).isEqualTo("my-drift");
    }

    @Test
    void shouldNameTheKeyOfABadSetting() {
        assertThatThrownBy(() -> DriftConfig.from(ReproConfig.of(Map.of(DriftConfig.CONVERGENCE_GRACE, "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(DriftConfig.CONVERGENCE_GRACE + ": ");
        assertThatThrownBy(() -> DriftConfig.from(ReproConfig.of(Map.of(DriftConfig.CONVERGENCE_GRACE, "PT0S"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(DriftConfig.CONVERGENCE_GRACE + ": ");
        assertThatThrownBy(() -> DriftConfig.from(ReproConfig.of(Map.of(DriftConfig.RETENTION, "PT5M"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(DriftConfig.RETENTION + ": ");
        assertThatThrownBy(() -> DriftConfig.from(ReproConfig.of(Map.of(DriftConfig.LATENESS_GRACE, "P30D"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(DriftConfig.LATENESS_GRACE + ": ");
        assertThatThrownBy(() -> DriftConfig.from(ReproConfig.of(Map.of(DriftConfig.APPLICATION_ID, " "))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(DriftConfig.APPLICATION_ID + ": ");
    }
}
