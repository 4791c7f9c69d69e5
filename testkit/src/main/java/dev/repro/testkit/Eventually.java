package dev.repro.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/**
 * Waits for a condition with a deadline: checks it, and while it does not hold, checks again
 * after a short pause, failing the test with {@code what} once {@code within} has passed. For
 * the tests' waits on something another thread or process brings about (a broker's metadata,
 * a service becoming ready), where no event to wait on is at hand.
 */
public final class Eventually {

    /** A condition to wait for; may throw what checking it throws. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Eventually() {
    }

    /**
     * Returns once {@code condition} holds, checking it every {@code every}.
     *
     * @throws AssertionError naming {@code what} when it does not hold within {@code within}
     */
    public static void await(String what, Duration within, Duration every, Condition condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as(what + " within " + within).isLessThan(deadline);
            Thread.sleep(every.toMillis());
        }
    }
}
