package dev.repro.testkit;

import java.util.List;
import java.util.Map;

/**
 * What a stream app has to do, as its consumer group shows it: the fault scenarios
 * ({@link KillAndRestart}, {@link TwoInstanceTakeover}) watch this to act in the middle of the input
 * and to know when the app has finished. The application id is the group id; {@code inputRecords} is
 * how many records were produced to {@code inputTopics} (so the offsets to commit there);
 * {@code caughtUp} waits, with a deadline, until the app has processed them all (for an app with
 * repartition topics, those too: see {@link GroupProgress#awaitCaughtUp}).
 */
public record GroupWork(Map<String, Object> adminSettings, String applicationId, List<String> inputTopics,
        long inputRecords, CaughtUp caughtUp) {

    /**
     * Repro settings ({@code KAFKA_*}) under which a stopped or killed instance leaves the group after
     * 6 s of silence, the broker's minimum, instead of the default 45 s: only then are its partitions
     * given to another (Kafka Streams closes without leaving the group).
     */
    static final Map<String, String> QUICK_TAKEOVER = Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000",
            "KAFKA_HEARTBEAT_INTERVAL_MS", "1500");

    /** Waits until the group has committed past everything it has to process; fails at its deadline. */
    @FunctionalInterface
    public interface CaughtUp {
        void await(GroupProgress progress) throws Exception;
    }

    public GroupWork {
        inputTopics = List.copyOf(inputTopics);
    }

    /** The group's progress on the broker, with an admin client of its own; close it. */
    GroupProgress progress() {
        return new GroupProgress(adminSettings, applicationId);
    }
}
