package dev.repro.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;

/**
 * A fault scenario for a stream app's integration test: two instances sharing the work (one
 * application id, the partitions split between them, each with its own state directory), one of
 * them stopped in the middle of the input; the other takes over its partitions, restoring their state
 * from the changelogs. The test then compares what the app wrote with the output of one undisturbed
 * instance. Both instances consume slowly ({@link #APP_SETTINGS}), so that the stop happens while
 * input is left, on any machine.
 *
 * <pre>{@code
 * TwoInstanceTakeover.of(work, clientId -> startedInstance(config, clientId), app -> app.state().isRunningOrRebalancing())
 *         .stopTheOneReading(new TopicPartition(buildsTopic, 0));
 * }</pre>
 *
 * @param <T> a started instance of the app; closing it stops the instance cleanly
 */
public final class TwoInstanceTakeover<T extends AutoCloseable> {

    /**
     * The repro settings both instances need besides their own: a stopped instance leaves the group
     * quickly, and each consumes its input a few ms per record ({@link SlowConsumption}).
     */
    public static final Map<String, String> APP_SETTINGS = slowWithQuickTakeover();

    /** Starts one instance of the app. */
    @FunctionalInterface
    public interface Start<T> {

        /**
         * Starts an instance whose client id (which names its consumers) is {@code clientId}, with a
         * state directory of its own; returns it once it is RUNNING.
         */
        T instance(String clientId) throws Exception;
    }

    private final GroupWork work;
    private final Start<T> start;
    private final Predicate<? super T> stillRuns;

    private TwoInstanceTakeover(GroupWork work, Start<T> start, Predicate<? super T> stillRuns) {
        this.work = work;
        this.start = start;
        this.stillRuns = stillRuns;
    }

    /** The scenario for the app doing {@code work}, whose instances {@code start} starts and {@code stillRuns} checks. */
    public static <T extends AutoCloseable> TwoInstanceTakeover<T> of(GroupWork work, Start<T> start,
            Predicate<? super T> stillRuns) {
        return new TwoInstanceTakeover<>(work, start, stillRuns);
    }

    /**
     * Starts two instances, client ids {@code <applicationId>-a} and {@code -b}, and waits until they
     * have split the partitions (60 s); stops the one reading {@code partition} once it has committed
     * some of its share (60 s), and checks that input was left. Then the other must catch up, own every
     * partition of the stopped one (30 s) and still run. Both instances are closed in the end.
     */
    public void stopTheOneReading(TopicPartition partition) throws Exception {
        Map<String, T> instances = new LinkedHashMap<>();
        try (GroupProgress progress = work.progress()) {
            String a = work.applicationId() + "-a";
            String b = work.applicationId() + "-b";
            for (String name : List.of(a, b)) {
                instances.put(name, start.instance(name));
            }
            Map<String, Set<TopicPartition>> split = progress.awaitAssignments(List.of(a, b), Duration.ofSeconds(60));
            assertThat(split.get(a)).as("each instance's partitions (both own some), none of both")
                    .doesNotContainAnyElementsOf(split.get(b));
            String leaving = split.get(a).contains(partition) ? a : b;
            String staying = leaving.equals(a) ? b : a;
            Set<TopicPartition> leavingOwns = split.get(leaving);

            progress.awaitCommittedOn(leavingOwns, progress.committedOn(leavingOwns) + 1, Duration.ofSeconds(60));
            instances.remove(leaving).close();

            assertThat(progress.committed(work.inputTopics())).as("stopped in the middle of the input")
                    .isLessThan(work.inputRecords());
            work.caughtUp().await(progress);
            assertThat(progress.awaitAssignments(List.of(staying), Duration.ofSeconds(30)).get(staying))
                    .as("the staying instance took over every partition").containsAll(leavingOwns);
            assertThat(stillRuns.test(instances.get(staying))).as("the staying instance still runs").isTrue();
        } finally {
            for (T instance : instances.values()) {
                instance.close();
            }
        }
    }

    private static Map<String, String> slowWithQuickTakeover() {
        Map<String, String> settings = new HashMap<>(GroupWork.QUICK_TAKEOVER);
        settings.putAll(SlowConsumption.settings(4));
        return Map.copyOf(settings);
    }
}
