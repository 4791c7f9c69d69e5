package dev.repro.alerts;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A credential (an HMAC secret, a PagerDuty routing key) that never shows in a log line, a
 * message or a {@code toString}: it prints as {@code ******}.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The credential itself, for the one place that sends it. */
    public String reveal() {
        return value;
    }

    /** The credential as UTF-8 bytes (an HMAC key). */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "******";
    }
}
