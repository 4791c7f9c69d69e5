package dev.repro.ingest.archive;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.repro.topics.TopicId;

/** Records handed to the {@link ArchiveWriter} for one request (or one line of a batch). */
public final class Submission {

    /** How a submission ended. */
    public enum Outcome {
        /** In a committed transaction: durable, visible to every reader. */
        COMMITTED,
        /** Never written, or written in an aborted transaction: no reader ever sees it. */
        NOT_WRITTEN,
        /** Kafka lost contact mid-commit and did not come back before the deadline. */
        UNKNOWN
    }

    /** The outcome and, unless committed, why. */
    public record Result(Outcome outcome, String reason, long nanos) {
    }

    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int CANCELLED = 2;

    /**
     * Where a record goes: into the partition a typed record of {@code topic} with {@code key}
     * would have ({@link dev.repro.topics.TypedPartitioning}).
     */
    public record PartitionHint(TopicId topic, String key) {
    }

    private final List<ProducerRecord<String, byte[]>> records;
    private final PartitionHint hint;
    private final long submittedAt;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    Submission(List<ProducerRecord<String, byte[]>> records, PartitionHint hint, long submittedAt) {
        this.records = List.copyOf(records);
        this.hint = hint;
        this.submittedAt = submittedAt;
    }

    List<ProducerRecord<String, byte[]>> records() {
        return records;
    }

    /** Where the records without a partition of their own go; null: Kafka's default partitioner decides. */
    PartitionHint hint() {
        return hint;
    }

    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    /** Withdraws a submission the writer has not claimed: it will never be written. False when too late. */
    public boolean cancel() {
        if (state.compareAndSet(QUEUED, CANCELLED)) {
            result.complete(new Result(Outcome.NOT_WRITTEN, "not sent: Kafka did not answer in time", System.nanoTime() - submittedAt));
            return true;
        }
        return state.get() == CANCELLED;
    }

    void complete(Outcome outcome, String reason) {
        result.complete(new Result(outcome, reason, System.nanoTime() - submittedAt));
    }

    /**
     * Waits up to {@code timeout}; if the writer has not taken the submission by then it is
     * cancelled (never written), otherwise this waits for the writer's outcome, which the writer
     * bounds by its own timeouts.
     */
    public Result await(Duration timeout) throws InterruptedException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            cancel();
            try {
                return result.get();
            } catch (ExecutionException inner) {
                throw new IllegalStateException(inner.getCause());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The outcome, for asynchronous callers. */
    public CompletableFuture<Result> result() {
        return result;
    }
}
