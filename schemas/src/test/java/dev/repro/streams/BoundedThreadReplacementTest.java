package dev.repro.streams;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class BoundedThreadReplacementTest {

    private static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void shouldReplaceTheThreadAFewTimesThenShutDown() {
        BoundedThreadReplacement policy = new BoundedThreadReplacement("test-app", 2, Duration.ofMinutes(10), new SteppingClock());
        RuntimeException boom = new IllegalStateException("boom");

        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(boom)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldForgetReplacementsOlderThanTheWindow() {
        SteppingClock clock = new SteppingClock();
        BoundedThreadReplacement policy = new BoundedThreadReplacement("test-app", 1, Duration.ofMinutes(10), clock);

        assertThat(policy.handle(new RuntimeException("first"))).isEqualTo(REPLACE_THREAD);
        clock.advance(Duration.ofMinutes(11));
        assertThat(policy.handle(new RuntimeException("much later"))).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new RuntimeException("right after"))).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldRefuseANonsensicalPolicy() {
        assertThatThrownBy(() -> new BoundedThreadReplacement("x", -1, Duration.ofMinutes(1), Clock.systemUTC()))
                .hasMessageContaining("maxReplacements");
        assertThatThrownBy(() -> new BoundedThreadReplacement("x", 1, Duration.ZERO, Clock.systemUTC()))
                .hasMessageContaining("window");
    }
}
