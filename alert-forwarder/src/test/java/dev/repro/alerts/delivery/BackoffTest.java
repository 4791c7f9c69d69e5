package dev.repro.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration INITIAL = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void shouldDoubleTheDelayPerFailureUpToTheCap() {
        Backoff longest = new Backoff(INITIAL, MAX, () -> 0.999_999);

        assertThat(longest.delay(1, Optional.empty())).isEqualTo(Duration.ofMillis(499));
        assertThat(longest.delay(2, Optional.empty())).isEqualTo(Duration.ofMillis(999));
        assertThat(longest.delay(4, Optional.empty())).isEqualTo(Duration.ofMillis(3999));
        assertThat(longest.delay(8, Optional.empty())).isEqualTo(Duration.ofMillis(59_999));
        assertThat(longest.delay(1_000, Optional.empty())).as("capped, and no overflow").isEqualTo(Duration.ofMillis(59_999));
    }

    @Test
    void shouldJitterBetweenHalfAndAllOfTheDelay() {
        assertThat(new Backoff(INITIAL, MAX, () -> 0.0).delay(3, Optional.empty())).isEqualTo(Duration.ofMillis(1000));
        assertThat(new Backoff(INITIAL, MAX, () -> 0.5).delay(3, Optional.empty())).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldWaitAtLeastWhatTheTargetAsksButNoLongerThanTheCap() {
        Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.0);

        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(backoff.delay(1, Optional.of(Duration.ofHours(1)))).isEqualTo(MAX);
        assertThat(backoff.delay(8, Optional.of(Duration.ZERO))).isEqualTo(Duration.ofSeconds(30));
    }
}
