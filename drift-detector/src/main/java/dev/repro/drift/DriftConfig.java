package dev.repro.drift;

import java.time.Duration;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

/**
 * The drift detector's own settings, read and validated from {@link ReproConfig} at start-up.
 *
 * @param applicationId    Kafka Streams application id ({@value #APPLICATION_ID}, default
 *                         {@code <topic prefix>drift-detector}): names its consumer group, internal topics and state
 * @param convergenceGrace how long, in event time after a new desired state, a cluster may still run something
 *                         else before it is declared drifted ({@value #CONVERGENCE_GRACE}, default 10 minutes);
 *                         also how long the clusters of an environment may differ after one of them changed digest
 * @param retention        how long, in event time after its latest deployment, a service/environment whose
 *                         desired states were all removed stays in state ({@value #RETENTION}, default 7 days,
 *                         the retention of the deployments topic)
 * @param latenessGrace    how far behind stream time an event may be and still be judged
 *                         ({@value #LATENESS_GRACE}, default 1 day); later ones go to the dead-letter topic as
 *                         {@code late-event}
 */
public record DriftConfig(String applicationId, Duration convergenceGrace, Duration retention, Duration latenessGrace) {

    public static final String APPLICATION_ID = "REPRO_DRIFT_APPLICATION_ID";
    public static final String CONVERGENCE_GRACE = "REPRO_DRIFT_CONVERGENCE_GRACE";
    public static final String RETENTION = "REPRO_DRIFT_RETENTION";
    public static final String LATENESS_GRACE = "REPRO_DRIFT_LATENESS_GRACE";

    public static final Duration DEFAULT_CONVERGENCE_GRACE = Duration.ofMinutes(10);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_LATENESS_GRACE = Duration.ofDays(1);

    public DriftConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new ConfigException(APPLICATION_ID + ": must not be blank");
        }
        requirePositive(CONVERGENCE_GRACE, convergenceGrace);
        requirePositive(RETENTION, retention);
        requirePositive(LATENESS_GRACE, latenessGrace);
        if (retention.compareTo(convergenceGrace) <= 0) {
            throw new ConfigException(RETENTION + ": must be longer than " + CONVERGENCE_GRACE + " (" + convergenceGrace
                    + "), got " + retention);
        }
        if (latenessGrace.compareTo(retention) > 0) {
            throw new ConfigException(LATENESS_GRACE + ": must not be longer than " + RETENTION + " (" + retention
                    + "), got " + latenessGrace);
        }
    }

    /** The default settings under {@code applicationId} (for tools that build the topology themselves). */
    public static DriftConfig defaults(String applicationId) {
        return new DriftConfig(applicationId, DEFAULT_CONVERGENCE_GRACE, DEFAULT_RETENTION, DEFAULT_LATENESS_GRACE);
    }

    /** The settings from {@code config}, with the defaults above. */
    public static DriftConfig from(ReproConfig config) {
        return new DriftConfig(
                config.get(APPLICATION_ID, config.topicPrefix() + DriftDetectorApp.NAME).strip(),
                config.duration(CONVERGENCE_GRACE, DEFAULT_CONVERGENCE_GRACE),
                config.duration(RETENTION, DEFAULT_RETENTION),
                config.duration(LATENESS_GRACE, DEFAULT_LATENESS_GRACE));
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key + ": must be a positive duration, got " + value);
        }
    }
}
