package dev.repro.verifier;

import java.time.Duration;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

/**
 * The verifier's own settings, read and validated from {@link ReproConfig} at start-up.
 *
 * @param applicationId  Kafka Streams application id ({@value #APPLICATION_ID}, default
 *                       {@code <topic prefix>verifier}): names its consumer group, internal topics and state
 * @param originalWait   how long, in event time, a replay waits for its original before
 *                       ORIGINAL_MISSING ({@value #ORIGINAL_WAIT}, default 30 minutes)
 * @param stateRetention how long, in event time after its latest event, a recipe or run stays in
 *                       state ({@value #STATE_RETENTION}, default 14 days); events older than stream
 *                       time minus this go to the dead-letter topic as {@code late-event}
 */
public record VerifierConfig(String applicationId, Duration originalWait, Duration stateRetention) {

    public static final String APPLICATION_ID = "REPRO_VERIFIER_APPLICATION_ID";
    public static final String ORIGINAL_WAIT = "REPRO_VERIFIER_ORIGINAL_WAIT";
    public static final String STATE_RETENTION = "REPRO_VERIFIER_STATE_RETENTION";

    public static final Duration DEFAULT_ORIGINAL_WAIT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_STATE_RETENTION = Duration.ofDays(14);

    public VerifierConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new ConfigException(APPLICATION_ID + ": must not be blank");
        }
        requirePositive(ORIGINAL_WAIT, originalWait);
        requirePositive(STATE_RETENTION, stateRetention);
        if (stateRetention.compareTo(originalWait) <= 0) {
            throw new ConfigException(STATE_RETENTION + ": must be longer than " + ORIGINAL_WAIT + " (" + originalWait
                    + "), got " + stateRetention);
        }
    }

    /** The settings from {@code config}, with the defaults above. */
    public static VerifierConfig from(ReproConfig config) {
        return new VerifierConfig(
                config.get(APPLICATION_ID, config.topicPrefix() + "verifier").strip(),
                config.duration(ORIGINAL_WAIT, DEFAULT_ORIGINAL_WAIT),
                config.duration(STATE_RETENTION, DEFAULT_STATE_RETENTION));
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key + ": must be a positive duration, got " + value);
        }
    }
}
