package dev.repro.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Streams app does when a stream thread dies of an uncaught exception: replace the
 * thread, at most {@code maxReplacements} times within {@code window}; past that, shut the
 * client down with one clear log line instead of crash-looping. The clock is the wall clock
 * (this is operations, not verdicts), injectable for tests.
 */
public final class BoundedThreadReplacement implements StreamsUncaughtExceptionHandler {

    public static final int DEFAULT_MAX_REPLACEMENTS = 3;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(BoundedThreadReplacement.class);

    private final String appName;
    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> replacements = new ArrayDeque<>();

    public BoundedThreadReplacement(String appName, int maxReplacements, Duration window, Clock clock) {
        if (maxReplacements < 0) {
            throw new IllegalArgumentException("maxReplacements must be 0 or more, was " + maxReplacements);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.appName = appName;
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = clock;
    }

    /** {@value #DEFAULT_MAX_REPLACEMENTS} replacements within 10 minutes, on the system clock. */
    public static BoundedThreadReplacement withDefaults(String appName) {
        return new BoundedThreadReplacement(appName, DEFAULT_MAX_REPLACEMENTS, DEFAULT_WINDOW, Clock.systemUTC());
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = clock.instant();
        while (!replacements.isEmpty() && !replacements.peekFirst().isAfter(now.minus(window))) {
            replacements.removeFirst();
        }
        if (replacements.size() < maxReplacements) {
            replacements.addLast(now);
            LOG.error("{}: a stream thread died ({}); replacing it ({} of at most {} within {})", appName,
                    DeadLetters.reason(exception), replacements.size(), maxReplacements, window, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("{}: a stream thread died ({}) after {} replacements within {}; shutting down", appName,
                DeadLetters.reason(exception), maxReplacements, window, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
