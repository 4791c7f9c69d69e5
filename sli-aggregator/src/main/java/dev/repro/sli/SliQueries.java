package dev.repro.sli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import dev.repro.schema.Alert;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.SliValue;

/**
 * Read-only queries over the app's state stores (Kafka Streams interactive queries): the SLI
 * values of every key and window, the alerts, the latest verdicts and drift statuses. The values
 * are computed from the stored windows exactly as the topology computes what it sends.
 */
public final class SliQueries {

    /** How a store is found: {@code KafkaStreams#store} in the app, the test driver's store in tests. */
    public interface StoreAccess {
        <V> ReadOnlyKeyValueStore<String, V> store(String name);
    }

    /** One SLI value, and for the percentile SLI its p50 too. */
    public record SliRow(SliValue value, Double p50) {
    }

    private final StoreAccess stores;
    private final SliTargets targets;

    public SliQueries(StoreAccess stores, SliTargets targets) {
        this.stores = stores;
        this.targets = targets;
    }

    /** Every SLI value, ordered by sli, scope, window; null filters match everything. */
    public List<SliRow> slis(String sli, String scope, String window) {
        List<SliRow> rows = new ArrayList<>();
        ReadOnlyKeyValueStore<String, ScopeState> windows = stores.store(SliAggregation.WINDOWS_STORE);
        try (KeyValueIterator<String, ScopeState> it = windows.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                int slash = kv.key.indexOf('/');
                Optional<Sli> s = Sli.byId(kv.key.substring(0, slash));
                String sc = kv.key.substring(slash + 1);
                if (s.isEmpty() || (sli != null && !sli.equals(s.get().id())) || (scope != null && !scope.equals(sc))) {
                    continue;
                }
                double target = targets.target(s.get(), sc);
                for (SliWindow w : SliWindow.values()) {
                    if (window != null && !window.equals(w.label())) {
                        continue;
                    }
                    Counts counts = kv.value.sum(w);
                    rows.add(new SliRow(SliEvaluation.value(s.get(), sc, w, counts, target, kv.value.asOf()),
                            s.get().kind() == Sli.Kind.P95 ? counts.values().quantile(0.5) : null));
                }
            }
        }
        rows.sort((a, b) -> {
            int c = a.value().getSli().compareTo(b.value().getSli());
            c = c != 0 ? c : a.value().getScope().compareTo(b.value().getScope());
            return c != 0 ? c : Integer.compare(SliWindow.byLabel(a.value().getWindow()).orElseThrow().ordinal(),
                    SliWindow.byLabel(b.value().getWindow()).orElseThrow().ordinal());
        });
        return rows;
    }

    /** Every alert sent so far (its latest state), ordered by key. */
    public List<Alert> alerts() {
        List<Alert> alerts = new ArrayList<>();
        for (String name : List.of(VerdictAlertLifecycle.ALERTS_STORE, SliAggregation.SLO_ALERTS_STORE)) {
            ReadOnlyKeyValueStore<String, AlertState> store = stores.store(name);
            try (KeyValueIterator<String, AlertState> it = store.all()) {
                while (it.hasNext()) {
                    AlertState state = it.next().value;
                    if (state.alert() != null) {
                        alerts.add(state.alert());
                    }
                }
            }
        }
        alerts.sort((a, b) -> a.getKey().compareTo(b.getKey()));
        return alerts;
    }

    public Optional<RebuildVerdict> rebuildVerdict(String recipeKey) {
        ReadOnlyKeyValueStore<String, RebuildVerdict> store = stores.store(SliObservation.REBUILD_STORE);
        return Optional.ofNullable(store.get(recipeKey));
    }

    public Optional<ReplayVerdict> replayVerdict(String originalRunId) {
        ReadOnlyKeyValueStore<String, ReplayVerdict> store = stores.store(SliObservation.REPLAY_STORE);
        return Optional.ofNullable(store.get(originalRunId));
    }

    /** Every target's latest drift status, ordered by target. */
    public List<DriftStatus> drift() {
        List<DriftStatus> all = new ArrayList<>();
        ReadOnlyKeyValueStore<String, DriftStatus> store = stores.store(SliObservation.DRIFT_STORE);
        try (KeyValueIterator<String, DriftStatus> it = store.all()) {
            while (it.hasNext()) {
                all.add(it.next().value);
            }
        }
        all.sort((a, b) -> a.getTarget().compareTo(b.getTarget()));
        return all;
    }
}
