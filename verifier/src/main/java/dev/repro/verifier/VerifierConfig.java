package dev.repro.verifier;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

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
                duration(config, ORIGINAL_WAIT, DEFAULT_ORIGINAL_WAIT),
                duration(config, STATE_RETENTION, DEFAULT_STATE_RETENTION));
    }

    /** {@code key} as a duration: {@code <n>ms|s|m|h|d} or ISO-8601 ({@code PT30M}, {@code P14D}). */
    static Duration duration(ReproConfig config, String key, Duration fallback) {
        String value = config.get(key, "").strip();
        if (value.isEmpty()) {
            return fallback;
        }
        Matcher simple = SIMPLE.matcher(value.toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            long n = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": expected a duration like 30m, 12h, 14d or PT30M, got '" + value + "'");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key + ": must be a positive duration, got " + value);
        }
    }
}
