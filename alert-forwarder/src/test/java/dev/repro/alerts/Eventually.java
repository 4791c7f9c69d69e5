package dev.repro.alerts;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline (never a bare sleep), or checks that one keeps holding. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls {@code condition} every 50 ms; fails naming {@code what} when it is still false after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            pause(what);
        }
    }

    /** Checks {@code condition} every 50 ms for {@code period}; fails naming {@code what} as soon as it is false. */
    public static void holds(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                fail("expected " + what + " for " + period.toMillis() + " ms, but it stopped holding");
            }
            pause(what);
        } while (System.nanoTime() < end);
    }

    private static void pause(String what) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while checking " + what);
        }
    }
}
