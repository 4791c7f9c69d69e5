package dev.repro.sli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.TestEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.DeadLetters;

/**
 * Stage 1, in the partition of each input: turns every input record into SLI deltas (keyed
 * {@code sli/scope}) and alert conditions (an {@link dev.repro.schema.Alert} carrier keyed by the
 * alert key), keeps the latest verdicts and drift statuses for the HTTP API, and keeps the ledger
 * of what each entity contributes so a duplicate counts once and a changed verdict replaces its
 * earlier contribution. Ledger entries older than the longest window plus the grace are forgotten.
 */
final class SliObservation implements Processor<String, Object, String, Object> {

    static final String CONTRIBUTIONS_STORE = "sli-contributions-store";
    static final String EXPIRY_STORE = "sli-contributions-expiry-store";
    static final String SUITES_STORE = "suite-runs-store";
    static final String REBUILD_STORE = "rebuild-verdicts-store";
    static final String REPLAY_STORE = "replay-verdicts-store";
    static final String DRIFT_STORE = "drift-status-store";

    static final String UNEXPECTED_TYPE = "unexpected-record-type";

    private final long retentionMs;
    private final VerdictAlerts alerts;
    private final AvroSerdes serdes;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Contribution> contributions;
    private KeyValueStore<String, String> expiry;
    private KeyValueStore<String, SuiteRuns> suites;
    private KeyValueStore<String, RebuildVerdict> rebuilds;
    private KeyValueStore<String, ReplayVerdict> replays;
    private KeyValueStore<String, DriftStatus> drift;
    private long lastCutoff = Long.MIN_VALUE;

    SliObservation(SliConfig config, AvroSerdes serdes) {
        this.retentionMs = SliWindow.LONGEST.millis() + config.grace().toMillis() + SliWindow.BUCKET.toMillis();
        this.alerts = new VerdictAlerts(config);
        this.serdes = serdes;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.contributions = context.getStateStore(CONTRIBUTIONS_STORE);
        this.expiry = context.getStateStore(EXPIRY_STORE);
        this.suites = context.getStateStore(SUITES_STORE);
        this.rebuilds = context.getStateStore(REBUILD_STORE);
        this.replays = context.getStateStore(REPLAY_STORE);
        this.drift = context.getStateStore(DRIFT_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        List<Contribution> observed;
        Optional<AlertCondition> condition = Optional.empty();
        Object value = record.value();
        if (value instanceof BuildEvent b) {
            observed = Observations.of(b);
        } else if (value instanceof RunEvent r) {
            observed = Observations.of(r);
        } else if (value instanceof TestEvent t) {
            observed = suiteRun(t);
        } else if (value instanceof RebuildVerdict v) {
            keepLatest(rebuilds, v.getRecipeKey(), v, v.getAsOf().toEpochMilli(), rebuilds.get(v.getRecipeKey()) == null
                    ? Long.MIN_VALUE : rebuilds.get(v.getRecipeKey()).getAsOf().toEpochMilli());
            observed = Observations.of(v);
            condition = alerts.of(v);
        } else if (value instanceof ReplayVerdict v) {
            ReplayVerdict kept = replays.get(v.getOriginalRunId());
            keepLatest(replays, v.getOriginalRunId(), v, v.getAsOf().toEpochMilli(),
                    kept == null ? Long.MIN_VALUE : kept.getAsOf().toEpochMilli());
            observed = Observations.of(v);
            condition = alerts.of(v);
        } else if (value instanceof DriftStatus d) {
            DriftStatus kept = drift.get(d.getTarget());
            keepLatest(drift, d.getTarget(), d, d.getAsOf().toEpochMilli(),
                    kept == null ? Long.MIN_VALUE : kept.getAsOf().toEpochMilli());
            observed = Observations.of(d);
            condition = alerts.of(d);
        } else {
            reject(record);
            return;
        }
        for (Contribution c : observed) {
            for (SliDelta delta : ledger(c)) {
                context.forward(record.withKey(delta.key()).withValue(delta));
            }
        }
        condition.ifPresent(c -> context.forward(record.withKey(c.key()).withValue(c.toCarrier())));
        expire();
    }

    private List<Contribution> suiteRun(TestEvent t) {
        String key = t.getSuite() + "@" + t.getCommit();
        SuiteRuns runs = suites.get(key);
        if (runs == null) {
            runs = new SuiteRuns();
        }
        long before = runs.runs().isEmpty() ? Long.MIN_VALUE : runs.latest();
        if (!runs.add(t)) {
            return List.of();
        }
        suites.put(key, runs);
        if (runs.latest() != before) {
            if (before != Long.MIN_VALUE) {
                expiry.delete(indexKey(before, "s", key));
            }
            expiry.put(indexKey(runs.latest(), "s", key), key);
        }
        return Observations.of(key, runs);
    }

    private static <V> void keepLatest(KeyValueStore<String, V> store, String key, V value, long asOf, long keptAsOf) {
        if (asOf >= keptAsOf) {
            store.put(key, value);
        }
    }

    /** The deltas {@code c} makes given what its entity contributed before, and the ledger updated. */
    private List<SliDelta> ledger(Contribution c) {
        String key = c.ledgerKey();
        Contribution old = contributions.get(key);
        if (old != null && (!c.replaceable() || c.sameAs(old) || c.time() < old.time())) {
            return List.of();
        }
        Map<String, List<SlidingWindows.Entry>> byScope = new LinkedHashMap<>();
        if (old != null) {
            for (String scope : old.scopes()) {
                byScope.computeIfAbsent(scope, s -> new ArrayList<>())
                        .add(new SlidingWindows.Entry(old.time(), -1, old.good(), old.total(), old.value()));
            }
            expiry.delete(indexKey(old.time(), "c", key));
        }
        for (String scope : c.scopes()) {
            byScope.computeIfAbsent(scope, s -> new ArrayList<>())
                    .add(new SlidingWindows.Entry(c.time(), 1, c.good(), c.total(), c.value()));
        }
        contributions.put(key, c);
        expiry.put(indexKey(c.time(), "c", key), key);
        List<SliDelta> deltas = new ArrayList<>(byScope.size());
        byScope.forEach((scope, entries) -> deltas.add(new SliDelta(c.sli(), scope, entries)));
        return deltas;
    }

    /** Forgets ledger entries and suites older than stream time minus the retention (event time only). */
    private void expire() {
        long cutoff = SliWindow.bucketOf(context.currentStreamTimeMs() - retentionMs);
        if (cutoff <= lastCutoff || cutoff <= 0) {
            return;
        }
        lastCutoff = cutoff;
        List<KeyValue<String, String>> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = expiry.range(hex(0), hex(cutoff))) {
            while (it.hasNext()) {
                expired.add(it.next());
            }
        }
        for (KeyValue<String, String> e : expired) {
            expiry.delete(e.key);
            if (e.key.charAt(17) == 'c') {
                contributions.delete(e.value);
            } else {
                suites.delete(e.value);
            }
        }
    }

    private void reject(Record<String, Object> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        DeadLetters.Origin origin = meta == null ? new DeadLetters.Origin(null, -1, -1, record.timestamp())
                : new DeadLetters.Origin(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
        Object value = record.value();
        byte[] raw = value instanceof SpecificRecord r ? serdes.serialize(r) : new byte[0];
        var rejected = DeadLetters.rejected(null, UNEXPECTED_TYPE, "a " + value.getClass().getSimpleName()
                + " is not an input of the sli-aggregator" + (meta == null ? "" : " (read from " + meta.topic() + ")"), raw, origin);
        context.forward(record.withKey(record.key() != null ? record.key() : rejected.getId()).withValue(rejected));
    }

    static String indexKey(long time, String kind, String key) {
        return hex(time) + "|" + kind + "|" + key;
    }

    static String hex(long t) {
        return HexFormat.of().toHexDigits(Math.max(0, t));
    }
}
