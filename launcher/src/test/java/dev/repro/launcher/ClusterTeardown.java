package dev.repro.launcher;

import java.util.List;

import dev.repro.app.RunningApp;
import dev.repro.kafka.local.LocalKafkaCluster;

/** How the launcher's cluster ITs stop what they started. */
final class ClusterTeardown {

    private ClusterTeardown() {
    }

    /** Closes {@code apps} newest first, then stops {@code cluster} (if it started) even when an app fails to close. */
    static void stop(List<RunningApp> apps, LocalKafkaCluster cluster) {
        try {
            for (int i = apps.size() - 1; i >= 0; i--) {
                apps.get(i).close();
            }
        } finally {
            if (cluster != null) {
                cluster.stop();
            }
        }
    }
}
