package dev.repro.ingest.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.topics.TypedPartitioning;

/**
 * Writes accepted events to Kafka in transactions that group every submission waiting at that
 * moment (group commit), so a request is answered only after its transaction committed, and a
 * submission that failed is never visible to a {@code read_committed} reader: no accepted
 * event is lost, and no refused event reaches a derived topic.
 *
 * <p>A submission is claimed by the writer before it is sent; one that was not claimed yet can be
 * {@linkplain Submission#cancel() cancelled} and is then never written. A claimed one always
 * gets an outcome: {@link Submission.Outcome#COMMITTED}, {@link Submission.Outcome#NOT_WRITTEN}
 * (the transaction was aborted or never began), or, in the one case Kafka cannot tell (the broker
 * vanished while committing and did not return before the deadline),
 * {@link Submission.Outcome#UNKNOWN}.
 */
public final class ArchiveWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);
    private static final Duration RECOVERY_PAUSE_MIN = Duration.ofMillis(250);
    private static final Duration RECOVERY_PAUSE_MAX = Duration.ofSeconds(5);

    private final Supplier<Producer<String, byte[]>> producers;
    private final int maxBatch;
    private final Duration commitDeadline;
    private final BlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final WriterListener listener;
    private volatile boolean running = true;
    private volatile boolean ready;
    private Producer<String, byte[]> producer;
    private long nextRecovery = System.nanoTime();
    private Duration recoveryPause = RECOVERY_PAUSE_MIN;

    /** What the writer reports, for metrics: batch sizes and commit latencies. */
    public interface WriterListener {
        void committed(int submissions, long nanos);

        void failed(int submissions, Submission.Outcome outcome, String reason);
    }

    /**
     * @param producers      makes a transactional producer (its {@code transactional.id} set); called again after a fatal error
     * @param maxBatch       most submissions in one transaction
     * @param commitDeadline how long an interrupted commit is retried before its outcome is reported unknown
     */
    public ArchiveWriter(Supplier<Producer<String, byte[]>> producers, int maxBatch, Duration commitDeadline,
                         WriterListener listener) {
        this.producers = producers;
        this.maxBatch = maxBatch;
        this.commitDeadline = commitDeadline;
        this.listener = listener;
        this.thread = new Thread(this::run, "ingest-archive-writer");
        this.thread.setDaemon(true);
    }

    public ArchiveWriter start() {
        thread.start();
        return this;
    }

    /**
     * True once the transactional producer is initialised and the last transaction did not fail.
     * While it is false and nothing is waiting to be written, the writer keeps trying to set up a
     * producer, so it turns true again as soon as Kafka answers.
     */
    public boolean isReady() {
        return ready;
    }

    /** Queues the records for the next transaction; they are written all together or not at all. */
    public Submission submit(List<ProducerRecord<String, byte[]>> records) {
        return submit(records, null);
    }

    /**
     * The same, each record without a partition of its own put where {@code hint} says (null:
     * where Kafka's default partitioner puts it).
     */
    public Submission submit(List<ProducerRecord<String, byte[]>> records, Submission.PartitionHint hint) {
        Submission submission = new Submission(records, hint, System.nanoTime());
        if (!running) {
            submission.cancel();
            return submission;
        }
        queue.add(submission);
        return submission;
    }

    private void run() {
        List<Submission> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                recoverWhileIdle();
                Submission first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                claimInto(first, batch);
                List<Submission> more = new ArrayList<>();
                queue.drainTo(more, maxBatch - 1);
                more.forEach(s -> claimInto(s, batch));
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("archive writer: unexpected failure; the batch was not written", e);
                batch.forEach(s -> s.complete(Submission.Outcome.NOT_WRITTEN, "internal error: " + e.getClass().getSimpleName()));
                discardProducer();
            }
        }
        List<Submission> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(Submission::cancel);
        discardProducer();
    }

    private static void claimInto(Submission s, List<Submission> batch) {
        if (s.claim()) {
            batch.add(s);
        }
    }

    private void write(List<Submission> batch) {
        long t0 = System.nanoTime();
        Producer<String, byte[]> p;
        try {
            p = producer();
        } catch (KafkaException e) {
            fail(batch, Submission.Outcome.NOT_WRITTEN, "Kafka is not reachable: " + reason(e));
            discardProducer();
            return;
        }
        boolean commitStarted = false;
        try {
            p.beginTransaction();
            for (Submission s : batch) {
                for (ProducerRecord<String, byte[]> r : s.records()) {
                    p.send(placed(p, r, s.hint()));
                }
            }
            commitStarted = true;
            commit(p, batch);
            ready = true;
            long nanos = System.nanoTime() - t0;
            batch.forEach(s -> s.complete(Submission.Outcome.COMMITTED, null));
            listener.committed(batch.size(), nanos);
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException | AuthenticationException | UnsupportedVersionException e) {
            // fatal for this producer: its open transaction can no longer commit
            fail(batch, Submission.Outcome.NOT_WRITTEN, "Kafka refused the write: " + reason(e));
            discardProducer();
        } catch (CommitOutcomeUnknown e) {
            fail(batch, Submission.Outcome.UNKNOWN, e.getMessage());
            discardProducer();
        } catch (KafkaException e) {
            if (commitStarted && e instanceof TimeoutException) {
                fail(batch, Submission.Outcome.UNKNOWN, "Kafka did not confirm the commit: " + reason(e));
                discardProducer();
                return;
            }
            abortQuietly(p);
            fail(batch, Submission.Outcome.NOT_WRITTEN, "Kafka did not take the write: " + reason(e));
        }
    }

    /**
     * Commits; a commit that timed out may still complete on the broker, so it is retried (the only
     * safe move, per the producer's contract) until it succeeds, fails definitely, or the deadline passes.
     */
    private void commit(Producer<String, byte[]> p, List<Submission> batch) {
        long deadline = System.nanoTime() + commitDeadline.toNanos();
        while (true) {
            try {
                p.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline || !running) {
                    throw new CommitOutcomeUnknown("Kafka did not confirm the commit of " + batch.size()
                            + " event(s) within " + commitDeadline.toSeconds() + " s; they may or may not be stored");
                }
                LOG.warn("archive writer: commit not confirmed yet ({}); retrying", reason(e));
            }
        }
    }

    private static ProducerRecord<String, byte[]> placed(Producer<String, byte[]> p, ProducerRecord<String, byte[]> r,
                                                         Submission.PartitionHint hint) {
        if (hint == null || r.partition() != null) {
            return r;
        }
        int partition = TypedPartitioning.partition(hint.topic(), hint.key(), p.partitionsFor(r.topic()).size());
        return new ProducerRecord<>(r.topic(), partition, r.timestamp(), r.key(), r.value(), r.headers());
    }

    private void fail(List<Submission> batch, Submission.Outcome outcome, String reason) {
        ready = false;
        LOG.warn("archive writer: {} submission(s) {}: {}", batch.size(), outcome, reason);
        batch.forEach(s -> s.complete(outcome, reason));
        listener.failed(batch.size(), outcome, reason);
    }

    /**
     * While not ready and no submission is waiting, sets up a fresh transactional producer, with
     * a growing pause between attempts: ready as early as Kafka allows at start, and ready again
     * after a failure without waiting for an event to come and fail first (the readiness check
     * and a load balancer would otherwise keep the instance out until someone posts to it).
     */
    private void recoverWhileIdle() {
        if (ready || !queue.isEmpty() || System.nanoTime() < nextRecovery) {
            return;
        }
        discardProducer();
        try {
            producer();
            recoveryPause = RECOVERY_PAUSE_MIN;
            LOG.info("archive writer: transactional producer ready");
        } catch (KafkaException e) {
            LOG.warn("archive writer: Kafka not reachable ({}); trying again in {} ms", reason(e), recoveryPause.toMillis());
            nextRecovery = System.nanoTime() + recoveryPause.toNanos();
            recoveryPause = recoveryPause.multipliedBy(2).compareTo(RECOVERY_PAUSE_MAX) > 0 ? RECOVERY_PAUSE_MAX
                    : recoveryPause.multipliedBy(2);
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Producer<String, byte[]> fresh = producers.get();
            try {
                fresh.initTransactions();
            } catch (RuntimeException e) {
                fresh.close(Duration.ZERO);
                throw e;
            }
            producer = fresh;
            ready = true;
        }
        return producer;
    }

    private void abortQuietly(Producer<String, byte[]> p) {
        try {
            p.abortTransaction();
        } catch (RuntimeException e) {
            LOG.warn("archive writer: abort failed ({}); starting a new producer", reason(e));
            discardProducer();
        }
    }

    private void discardProducer() {
        ready = false;
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("archive writer: closing the producer failed", e);
            }
            producer = null;
        }
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    /** Stops taking submissions, cancels the ones not yet claimed, waits for the current transaction. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(commitDeadline.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class CommitOutcomeUnknown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommitOutcomeUnknown(String message) {
            super(message);
        }
    }

    /** Producer settings for the writer: transactional, bounded waits so that Kafka down means 503 soon. */
    public static Map<String, Object> producerSettings(Map<String, Object> base, String transactionalId, Duration ackTimeout) {
        Map<String, Object> props = new HashMap<>(base);
        props.put("transactional.id", transactionalId);
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        long ack = ackTimeout.toMillis();
        props.put("max.block.ms", String.valueOf(Math.max(1_000, ack / 2)));
        props.put("request.timeout.ms", String.valueOf(Math.max(1_000, ack / 2)));
        props.put("delivery.timeout.ms", String.valueOf(ack));
        props.put("linger.ms", "0");
        // a transaction's first send waits while the previous one's commit markers are written;
        // the default 100 ms retry backoff would cap the writer at a few transactions a second
        props.put("retry.backoff.ms", "5");
        props.put("transaction.timeout.ms", "60000");
        return props;
    }
}
