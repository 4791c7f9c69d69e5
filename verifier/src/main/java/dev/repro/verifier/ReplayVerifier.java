package dev.repro.verifier;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunStatus;
import dev.repro.streams.ExpiryIndex;
import dev.repro.streams.TimeIndex;

/**
 * Keyed by original run id: keeps the original and every distinct replay of a run
 * ({@value #RUNS_STORE}) and emits a verdict per replay, timestamped with its {@code as_of}:
 * at once when the original is known or the replay failed; otherwise when the original arrives,
 * or ORIGINAL_MISSING once stream time passes the replay's event time plus the wait
 * ({@value #DEADLINES_STORE}). A replay declared ORIGINAL_MISSING is judged again if its original
 * still turns up. Duplicates (same source and id) change nothing and emit nothing. Runs whose
 * latest event is older than stream time minus the retention are removed ({@value #EXPIRY_STORE}, an
 * {@link ExpiryIndex}).
 */
final class ReplayVerifier implements Processor<String, RunEvent, String, ReplayVerdict> {

    static final String RUNS_STORE = "runs-by-original-store";
    static final String DEADLINES_STORE = "replay-deadlines-store";
    static final String EXPIRY_STORE = "run-expiry-store";

    private static final Logger LOG = LoggerFactory.getLogger(ReplayVerifier.class);

    private final long waitMs;
    private final long retentionMs;
    private ProcessorContext<String, ReplayVerdict> context;
    private KeyValueStore<String, RunHistory> runs;
    private TimeIndex deadlines;
    private ExpiryIndex expiry;

    ReplayVerifier(Duration originalWait, Duration retention) {
        this.waitMs = originalWait.toMillis();
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, ReplayVerdict> context) {
        this.context = context;
        this.runs = context.getStateStore(RUNS_STORE);
        this.deadlines = new TimeIndex(context.getStateStore(DEADLINES_STORE));
        this.expiry = new ExpiryIndex(context.getStateStore(EXPIRY_STORE));
        Duration every = Duration.ofMillis(Math.max(1000L, Math.min(waitMs / 2, Duration.ofMinutes(1).toMillis())));
        context.schedule(every, PunctuationType.STREAM_TIME, this::onStreamTime);
    }

    @Override
    public void process(Record<String, RunEvent> record) {
        declareMissingOriginals(context.currentStreamTimeMs());
        String originalRunId = record.key();
        RunEvent run = record.value();
        RunHistory history = runs.get(originalRunId);
        if (history == null) {
            history = RunHistory.empty();
        }
        if (history.contains(run.getSource(), run.getId())) {
            LOG.debug("duplicate run event {} from {} of {} ignored", run.getId(), run.getSource(), originalRunId);
            return;
        }
        long lastBefore = history.lastSeen();
        if (run.getReplayOf() == null) {
            onOriginal(originalRunId, history, run);
        } else {
            onReplay(originalRunId, history, run);
        }
        runs.put(originalRunId, history);
        if (lastBefore == Long.MIN_VALUE) {
            expiry.register(originalRunId, history.lastSeen());
        }
    }

    private void onOriginal(String originalRunId, RunHistory history, RunEvent original) {
        if (!history.setOriginal(original)) {
            LOG.warn("run {}: a second original event {} from {} ignored; the first one ({}) stays the reference",
                    originalRunId, original.getId(), original.getSource(), history.original().getId());
            return;
        }
        for (RunHistory.Replay replay : history.replays()) {
            if (replay.judgement() == RunHistory.Judgement.JUDGED) {
                continue;
            }
            if (replay.judgement() == RunHistory.Judgement.AWAITING_ORIGINAL) {
                deadlines.delete(deadline(replay.run()), deadlineSuffix(originalRunId, replay.run()));
            }
            history.mark(replay.run(), RunHistory.Judgement.JUDGED);
            emit(ReplayVerification.judge(originalRunId, original, replay.run()));
        }
    }

    private void onReplay(String originalRunId, RunHistory history, RunEvent replay) {
        if (history.original() != null) {
            history.addReplay(replay, RunHistory.Judgement.JUDGED);
            emit(ReplayVerification.judge(originalRunId, history.original(), replay));
        } else if (replay.getStatus() == RunStatus.FAILED) {
            history.addReplay(replay, RunHistory.Judgement.JUDGED);
            emit(ReplayVerification.failedWithoutOriginal(originalRunId, replay));
        } else {
            history.addReplay(replay, RunHistory.Judgement.AWAITING_ORIGINAL);
            deadlines.put(deadline(replay), deadlineSuffix(originalRunId, replay), originalRunId);
        }
    }

    private void onStreamTime(long streamTime) {
        declareMissingOriginals(streamTime);
        for (String originalRunId : expiry.expired(streamTime - retentionMs, this::lastSeen)) {
            runs.delete(originalRunId);
        }
    }

    /** ORIGINAL_MISSING for every replay still waiting whose wait ended before {@code streamTime}. */
    private void declareMissingOriginals(long streamTime) {
        for (KeyValue<String, String> due : deadlines.takeBefore(streamTime)) {
            String originalRunId = due.value;
            RunHistory history = runs.get(originalRunId);
            if (history != null) {
                boolean changed = false;
                for (RunHistory.Replay replay : history.replays()) {
                    long deadline = deadline(replay.run());
                    if (replay.judgement() == RunHistory.Judgement.AWAITING_ORIGINAL && deadline < streamTime) {
                        history.mark(replay.run(), RunHistory.Judgement.ORIGINAL_MISSING);
                        deadlines.delete(deadline, deadlineSuffix(originalRunId, replay.run()));
                        emit(ReplayVerification.originalMissing(originalRunId, replay.run(), Instant.ofEpochMilli(deadline)));
                        changed = true;
                    }
                }
                if (changed) {
                    runs.put(originalRunId, history);
                }
            }
        }
    }

    private long lastSeen(String originalRunId) {
        RunHistory history = runs.get(originalRunId);
        return history == null ? Long.MIN_VALUE : history.lastSeen();
    }

    private long deadline(RunEvent replay) {
        return replay.getTime().toEpochMilli() + waitMs;
    }

    private static String deadlineSuffix(String originalRunId, RunEvent replay) {
        return originalRunId + "\n" + replay.getSource() + "\n" + replay.getId();
    }

    private void emit(ReplayVerdict verdict) {
        context.forward(new Record<>(verdict.getOriginalRunId(), verdict, verdict.getAsOf().toEpochMilli()));
    }
}
