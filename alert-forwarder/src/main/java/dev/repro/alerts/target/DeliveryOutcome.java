package dev.repro.alerts.target;

import java.time.Duration;
import java.util.Optional;

/** How a target answered one request. */
public sealed interface DeliveryOutcome {

    /** The target took it (2xx). */
    record Accepted(int status) implements DeliveryOutcome {
    }

    /**
     * Try again later: no connection, no answer in time, 408, 429 or 5xx.
     *
     * @param reason     what went wrong, one line, no credentials
     * @param retryAfter the target's {@code Retry-After}, when it sent one
     */
    record Retryable(String reason, Optional<Duration> retryAfter) implements DeliveryOutcome {
    }

    /**
     * The target refused this payload (any other status): sending it again would not help.
     *
     * @param status  the HTTP status
     * @param excerpt the start of the response body, one line, credentials masked
     */
    record Refused(int status, String excerpt) implements DeliveryOutcome {

        /** {@code HTTP 400: <excerpt>}. */
        public String reason() {
            return "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
        }
    }
}
