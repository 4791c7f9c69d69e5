package dev.repro.topics;

import java.time.Duration;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

import dev.repro.schema.Alert;
import dev.repro.schema.ArchivedEvent;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.SliValue;
import dev.repro.schema.TestEvent;

/**
 * Every topic of the contract (CONTRACT section 5): its name without the prefix, the record
 * type of its values, what its UTF-8 string key is, and how Kafka keeps it. Results are
 * compacted; event topics are deleted after their retention.
 */
public enum TopicId {

    ARCHIVE("events.archive", ArchivedEvent.class, "event id", Cleanup.DELETE, Duration.ofDays(365)),
    BUILDS("events.builds", BuildEvent.class, "recipe key: artifact.name@commit#recipe_digest ('#-' when no recipe digest)",
            Cleanup.DELETE, Duration.ofDays(7)),
    DEPLOYMENTS("events.deployments", DeploymentEvent.class, "service/environment/cluster", Cleanup.DELETE, Duration.ofDays(7)),
    DESIRED("events.desired", DesiredState.class, "service/environment[/cluster]", Cleanup.COMPACT, null),
    RUNS("events.runs", RunEvent.class, "original run id (replay_of, else run_id)", Cleanup.DELETE, Duration.ofDays(7)),
    TESTS("events.tests", TestEvent.class, "suite@commit", Cleanup.DELETE, Duration.ofDays(7)),
    REJECTED("events.rejected", RejectedEvent.class, "event id or hash", Cleanup.DELETE, Duration.ofDays(7)),
    DEAD_LETTER("deadletter", RejectedEvent.class, "key of the undecodable record (or a hash of its bytes)",
            Cleanup.DELETE, Duration.ofDays(7)),
    REBUILD_VERDICTS("verdicts.rebuild", RebuildVerdict.class, "recipe key", Cleanup.COMPACT, null),
    REPLAY_VERDICTS("verdicts.replay", ReplayVerdict.class, "original run id", Cleanup.COMPACT, null),
    DRIFT("drift", DriftStatus.class, "service/environment/cluster", Cleanup.COMPACT, null),
    SLI("sli", SliValue.class, "sli/scope/window", Cleanup.COMPACT, null),
    ALERTS("alerts", Alert.class, "dedupe key (e.g. replay/<code_digest>, slo/<sli>/<scope>)", Cleanup.COMPACT, null);

    private final String suffix;
    private final Class<? extends SpecificRecord> valueType;
    private final String keyDescription;
    private final Cleanup cleanup;
    private final Duration defaultRetention;

    TopicId(String suffix, Class<? extends SpecificRecord> valueType, String keyDescription, Cleanup cleanup,
            Duration defaultRetention) {
        this.suffix = suffix;
        this.valueType = valueType;
        this.keyDescription = keyDescription;
        this.cleanup = cleanup;
        this.defaultRetention = defaultRetention;
    }

    /** The topic name without the prefix, e.g. {@code events.builds}. */
    public String suffix() {
        return suffix;
    }

    /** The record type of the values. */
    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    /** What the UTF-8 string key is, as the contract says. */
    public String keyDescription() {
        return keyDescription;
    }

    /** Kafka {@code cleanup.policy}: {@code delete} or {@code compact}. */
    public String cleanupPolicy() {
        return cleanup.policy;
    }

    /** Whether the topic is compacted (holds the latest value per key). */
    public boolean compacted() {
        return cleanup == Cleanup.COMPACT;
    }

    /** How long a delete topic keeps records; empty for compacted topics. */
    public Optional<Duration> defaultRetention() {
        return Optional.ofNullable(defaultRetention);
    }

    private enum Cleanup {
        DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
        COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

        private final String policy;

        Cleanup(String policy) {
            this.policy = policy;
        }
    }
}
