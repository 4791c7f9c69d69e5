package dev.repro.drift;

import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftStatus;
import dev.repro.streams.ExpiryIndex;
import dev.repro.streams.TimeIndex;

/**
 * Keyed by target, partitioned by {@code service/environment}: keeps each environment's desired
 * states and deployments ({@value #ENVIRONMENTS_STORE}) and emits a cluster's drift status when it
 * changes, keyed by target and timestamped with its {@code as_of}. Ends of convergence graces are
 * indexed by event time ({@value #DEADLINES_STORE}): a cluster still not in sync is declared drifted
 * once stream time passes the end of its grace, whether or not another event of its environment
 * arrives. An environment has one end of grace filed at a time, the earliest its clusters are held
 * back until ({@link EnvironmentDrift#fileGraceEnd}); the review at that end files the next. An
 * environment with no desired state left and no deployment for the retention is forgotten
 * ({@value #EXPIRY_STORE}).
 *
 * <p>Due graces and expiries are handled before each record and on stream-time punctuation, in
 * event-time order and judged at their own time, so the output is the same whenever the
 * punctuation happens to run.
 */
final class DriftDetector implements Processor<String, Object, String, DriftStatus> {

    static final String ENVIRONMENTS_STORE = "drift-by-environment-store";
    static final String DEADLINES_STORE = "convergence-deadlines-store";
    static final String EXPIRY_STORE = "environment-expiry-store";

    private static final Logger LOG = LoggerFactory.getLogger(DriftDetector.class);

    private final Duration grace;
    private final long retentionMs;
    private ProcessorContext<String, DriftStatus> context;
    private KeyValueStore<String, EnvironmentDrift> environments;
    private TimeIndex deadlines;
    private ExpiryIndex expiry;

    DriftDetector(Duration convergenceGrace, Duration retention) {
        this.grace = convergenceGrace;
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, DriftStatus> context) {
        this.context = context;
        this.environments = context.getStateStore(ENVIRONMENTS_STORE);
        this.deadlines = new TimeIndex(context.getStateStore(DEADLINES_STORE));
        this.expiry = new ExpiryIndex(context.getStateStore(EXPIRY_STORE));
        Duration every = Duration.ofMillis(Math.max(1000L, Math.min(grace.toMillis() / 2, Duration.ofMinutes(1).toMillis())));
        context.schedule(every, PunctuationType.STREAM_TIME, this::advance);
    }

    @Override
    public void process(Record<String, Object> record) {
        long streamTime = context.currentStreamTimeMs();
        advance(streamTime);
        TargetKey key = TargetKey.of(record.key())
                .orElseThrow(() -> new IllegalStateException("unchecked key '" + record.key() + "'"));
        String environmentKey = key.environmentKey();
        EnvironmentDrift environment = environments.get(environmentKey);
        boolean isNew = environment == null;
        if (isNew) {
            environment = EnvironmentDrift.empty(key.service(), key.environment());
        }
        boolean changed;
        if (record.value() instanceof DesiredState desired) {
            changed = environment.declare(key.cluster(), desired);
        } else if (record.value() instanceof DeploymentEvent deployment) {
            changed = environment.observe(key.cluster(), deployment);
        } else {
            changed = environment.removeDesired(key.cluster());
        }
        if (!changed) {
            LOG.debug("{} for {}: a duplicate, older than what is known, or nothing to remove; ignored",
                    record.value().getClass().getSimpleName(), record.key());
            return;
        }
        review(environmentKey, environment, streamTime, record.timestamp());
        if (isNew) {
            expiry.register(environmentKey, Math.max(streamTime, record.timestamp()));
        }
    }

    /** Judges the environment at {@code now}, stores it, remembers its graces and emits what changed. */
    private void review(String environmentKey, EnvironmentDrift environment, long now, long trigger) {
        EnvironmentDrift.Review review = environment.review(now, trigger, grace);
        long heldUntil = review.heldUntil();
        if (heldUntil != EnvironmentDrift.NEVER && environment.fileGraceEnd(heldUntil)) {
            deadlines.put(heldUntil, environmentKey, environmentKey);
        }
        if (environment.isEmpty()) {
            environments.delete(environmentKey);
        } else {
            environments.put(environmentKey, environment);
        }
        review.changes().forEach(status ->
                context.forward(new Record<>(status.getTarget(), status, status.getAsOf().toEpochMilli())));
    }

    /** Ends the graces that ended before {@code streamTime}, oldest first, then forgets expired environments. */
    private void advance(long streamTime) {
        if (streamTime <= 0) {
            return;
        }
        Optional<KeyValue<String, String>> due;
        while ((due = deadlines.takeFirstBefore(streamTime)).isPresent()) {
            long graceEnd = TimeIndex.timeOf(due.get().key);
            String environmentKey = due.get().value;
            EnvironmentDrift environment = environments.get(environmentKey);
            if (environment != null) {
                environment.graceEndTaken(graceEnd);
                review(environmentKey, environment, graceEnd + 1, graceEnd);
            }
        }
        for (String environmentKey : expiry.expired(streamTime - retentionMs, key -> lastActivity(key, streamTime))) {
            environments.delete(environmentKey);
            LOG.debug("{}: no desired state and no deployment within the retention; forgotten", environmentKey);
        }
    }

    /**
     * When the environment last counted as active, for its expiry: its last deployment, or now
     * while it has a desired state (which is kept until removed: it is looked at again one
     * retention later).
     */
    private long lastActivity(String environmentKey, long streamTime) {
        EnvironmentDrift environment = environments.get(environmentKey);
        if (environment == null) {
            return Long.MIN_VALUE;
        }
        return environment.hasDesired() ? streamTime : environment.lastDeployment();
    }
}
