package dev.repro.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A fault scenario for a stream app's integration test: the app as a child JVM ({@link ChildAppJvm})
 * killed with SIGKILL once it has committed a quarter of its input, then started again with the same
 * settings until it has caught up, then stopped. The test then compares what the app wrote, read
 * committed, with the output of an undisturbed run.
 */
public final class KillAndRestart {

    /**
     * The repro settings the app needs besides its own: the killed instance leaves the group quickly,
     * so the restarted one gets its partitions within seconds.
     */
    public static final Map<String, String> APP_SETTINGS = GroupWork.QUICK_TAKEOVER;

    private KillAndRestart() {
    }

    /**
     * Starts {@code java -jar jar} with {@code env} (its output in {@code logDir}/first.log), kills it
     * with SIGKILL once the group has committed a quarter of the input (within 90 s) and checks that
     * input was left; starts it again ({@code logDir}/second.log), waits until it has caught up and
     * stops it (SIGTERM, SIGKILL after 30 s). A failed wait shows the end of the JVM's output.
     */
    public static void run(GroupWork work, Path jar, Map<String, String> env, Path logDir) throws Exception {
        try (GroupProgress progress = work.progress()) {
            long committedAtKill;
            try (ChildAppJvm first = ChildAppJvm.start(jar, env, logDir.resolve("first.log"))) {
                committedAtKill = first.whileRunning(() -> progress.awaitCommitted(work.inputTopics(), work.inputRecords() / 4,
                        Duration.ofSeconds(90)));
                first.kill(); // SIGKILL: no commit, no close, an open transaction left behind
            }
            assertThat(committedAtKill).as("killed in the middle of the input").isLessThan(work.inputRecords());
            try (ChildAppJvm second = ChildAppJvm.start(jar, env, logDir.resolve("second.log"))) {
                second.whileRunning(() -> {
                    work.caughtUp().await(progress);
                    return null;
                });
                second.stop(Duration.ofSeconds(30));
            }
        }
    }
}
