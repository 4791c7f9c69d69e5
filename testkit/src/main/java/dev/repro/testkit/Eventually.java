package dev.repro.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;

/**
 * Waits for a condition with a deadline: checks it, and while it does not hold, checks again
 * after a short pause, failing the test with {@code what} once the deadline has passed; or checks
 * that a condition keeps holding for a while. For the tests' waits on something another thread or
 * process brings about (a broker's metadata, a service becoming ready), where no event to wait on
 * is at hand: never a bare sleep.
 */
public final class Eventually {

    /** The pause between two checks when a caller names none. */
    public static final Duration EVERY = Duration.ofMillis(50);

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
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + within.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** {@link #await(String, Duration, Duration, Condition)}, checking every {@link #EVERY}. */
    public static void await(String what, Duration within, Condition condition) throws Exception {
        await(what, within, EVERY, condition);
    }

    /**
     * Checks {@code condition} every {@link #EVERY} for {@code period}.
     *
     * @throws AssertionError naming {@code what} as soon as it does not hold
     */
    public static void holds(String what, Duration period, Condition condition) throws Exception {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.holds()) {
                fail("expected " + what + " for " + period.toMillis() + " ms, but it stopped holding");
            }
            Thread.sleep(EVERY.toMillis());
        } while (System.nanoTime() - end < 0);
    }
}
