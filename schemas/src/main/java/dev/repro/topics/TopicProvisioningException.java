package dev.repro.topics;

/** The catalog's topics could not be listed, created or checked; the message names the topic and the cause. */
public final class TopicProvisioningException extends RuntimeException {

    public TopicProvisioningException(String message) {
        super(message);
    }
}
