package dev.repro.config;

/** A setting is missing or invalid. The message is one line that names the key and the rule. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
