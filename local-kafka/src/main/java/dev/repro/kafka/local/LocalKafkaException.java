package dev.repro.kafka.local;

/** The local broker could not be formatted, started or stopped; the message says why in one line. */
public final class LocalKafkaException extends RuntimeException {

    public LocalKafkaException(String message) {
        super(message);
    }

    public LocalKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
