package dev.repro.ingest;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;

import dev.repro.ingest.http.IngestServer;

/**
 * {@code /readyz}: Kafka answers, the topics ingest writes exist, and the archive writer holds a
 * working transactional producer. The broker is asked at most every two seconds.
 */
final class KafkaReadiness implements IngestServer.Readiness {

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Admin admin;
    private final List<String> topics;
    private final BooleanSupplier writerReady;
    private volatile String lastReason = "not checked yet";
    private volatile long lastCheck;

    KafkaReadiness(Admin admin, List<String> topics, BooleanSupplier writerReady) {
        this.admin = admin;
        this.topics = topics;
        this.writerReady = writerReady;
    }

    @Override
    public synchronized String notReadyReason() {
        long now = System.nanoTime();
        if (lastCheck != 0 && now - lastCheck < RECHECK_NANOS) {
            return lastReason;
        }
        lastCheck = now;
        lastReason = check();
        return lastReason;
    }

    private String check() {
        Set<String> present;
        try {
            present = admin.listTopics(new ListTopicsOptions().timeoutMs(2_000)).names().get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "Kafka does not answer: " + e.getClass().getSimpleName();
        }
        List<String> missing = topics.stream().filter(t -> !present.contains(t)).toList();
        if (!missing.isEmpty()) {
            return "topics missing: " + String.join(", ", missing) + " (`repro up` creates them)";
        }
        if (!writerReady.getAsBoolean()) {
            return "the archive writer has no working transactional producer yet";
        }
        return null;
    }
}
