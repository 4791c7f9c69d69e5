package dev.repro.alerts.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Delay before the next attempt after {@code failures} failures in a row: the initial delay
 * doubled per failure, capped, with "equal jitter" (between half and all of it) so that many
 * partitions retrying one target do not hit it in step. A target's {@code Retry-After} is honoured
 * up to the cap.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1) */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The delay after the {@code failures}-th failure in a row (1 for the first). */
    public Duration delay(int failures, Optional<Duration> retryAfter) {
        long capMillis = max.toMillis();
        long exponential = initial.toMillis();
        for (int i = 1; i < failures && exponential < capMillis; i++) {
            exponential *= 2;
        }
        long base = Math.min(exponential, capMillis);
        long jittered = base / 2 + (long) (random.getAsDouble() * (base - base / 2));
        long asked = retryAfter.map(Duration::toMillis).map(ms -> Math.min(ms, capMillis)).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, asked));
    }
}
