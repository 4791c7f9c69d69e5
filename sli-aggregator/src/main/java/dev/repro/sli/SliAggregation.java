package dev.repro.sli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.Evidence;
import dev.repro.schema.EvidenceKind;
import dev.repro.schema.Severity;
import dev.repro.schema.SliValue;

/**
 * Stage 2, fed through one repartition topic with two kinds of update. An {@link SliDelta}, keyed
 * {@code sli/scope}: applies it to the scope's rolling windows, sends the SLI value of every window
 * to {@code repro.sli} (keyed {@code sli/scope/window}, timestamped {@code as_of}), evaluates the
 * burn-rate tiers and runs the SLO_BURN alert of the key {@code slo/<sli>/<scope>} through the
 * {@link AlertLifecycle} when the fastest holding tier changes. An alert condition ({@link Alert}
 * carrier), keyed by alert key: runs it through the {@link VerdictAlertLifecycle}. One task so writes
 * both kinds of alert of its partition, in the order of its input, and replaying a single-partition
 * log gives the same {@code repro.alerts} record for record.
 */
final class SliAggregation implements Processor<String, Object, String, Object> {

    static final String WINDOWS_STORE = "sli-windows-store";
    static final String BUCKETS_STORE = "sli-buckets-store";
    static final String SLO_ALERTS_STORE = "slo-alerts-store";

    private final SliConfig config;
    private final AlertLifecycle lifecycle;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, ScopeState> windows;
    private KeyValueStore<String, Counts> buckets;
    private KeyValueStore<String, AlertState> sloAlerts;
    private VerdictAlertLifecycle verdictAlerts;

    SliAggregation(SliConfig config) {
        this.config = config;
        this.lifecycle = new AlertLifecycle(config.flapWindow());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.windows = context.getStateStore(WINDOWS_STORE);
        this.buckets = context.getStateStore(BUCKETS_STORE);
        this.sloAlerts = context.getStateStore(SLO_ALERTS_STORE);
        this.verdictAlerts = new VerdictAlertLifecycle(config, context.getStateStore(VerdictAlertLifecycle.ALERTS_STORE));
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof SliDelta delta) {
            aggregate(delta);
        } else {
            verdictAlerts.on((Alert) record.value()).ifPresent(alert ->
                    context.forward(new Record<>(alert.getKey(), (Object) alert, alert.getAsOf().toEpochMilli())));
        }
    }

    private void aggregate(SliDelta delta) {
        String key = delta.key();
        ScopeState stored = windows.get(key);
        ScopeState state = stored == null ? new ScopeState() : stored;
        StoreBuckets scopeBuckets = new StoreBuckets(buckets, key);
        boolean changed = false;
        for (SlidingWindows.Entry e : delta.entries()) {
            changed |= SlidingWindows.apply(state, scopeBuckets, e);
        }
        if (!changed) {
            return;
        }
        double target = config.targets().target(delta.sli(), delta.scope());
        for (SliWindow w : SliWindow.values()) {
            SliValue value = SliEvaluation.value(delta.sli(), delta.scope(), w, state.sum(w), target, state.asOf());
            context.forward(new Record<>(key + "/" + w.label(), (Object) value, state.asOf()));
        }
        BurnTier tier = SliEvaluation.fastestTier(delta.sli(), state, target, config.burnMinEvents());
        if (tier != state.firingTier()) {
            state.firingTier(tier);
            AlertCondition condition = sloCondition(delta.sli(), delta.scope(), state, tier, target);
            AlertLifecycle.Transition t = lifecycle.on(sloAlerts.get(condition.key()), condition);
            sloAlerts.put(condition.key(), t.state());
            t.emitted().ifPresent(alert -> context.forward(new Record<>(alert.getKey(), (Object) alert, state.asOf())));
        }
        windows.put(key, state);
    }

    static AlertCondition sloCondition(Sli sli, String scope, ScopeState state, BurnTier tier, double target) {
        String key = "slo/" + sli.id() + "/" + scope;
        Map<String, String> labels = new TreeMap<>();
        labels.put("sli", sli.id());
        int colon = scope.indexOf(':');
        if (colon > 0) {
            labels.put(scope.substring(0, colon), scope.substring(colon + 1));
        }
        if (tier == null) {
            return new AlertCondition(key, AlertKind.SLO_BURN, false, Severity.TICKET, sli.id() + " " + scope + " burn rate back to normal",
                    scope, List.of(), labels, state.asOf());
        }
        labels.put("burn_tier", tier.describe());
        List<Evidence> evidence = new ArrayList<>(2);
        String summary = null;
        for (SliWindow w : List.of(tier.shortWindow(), tier.longWindow())) {
            SliEvaluation.Assessment a = SliEvaluation.assess(sli, w, state.sum(w), target);
            String line = "burn rate " + a.burn().stripTrailingZeros().toPlainString() + " over " + w.label() + " ("
                    + a.bad() + " bad of " + a.total() + ", target " + target + ")";
            evidence.add(VerdictAlerts.evidence(EvidenceKind.SLI_VALUE, sli.id() + "/" + scope + "/" + w.label(), line));
            if (w == tier.longWindow()) {
                summary = sli.id() + " " + scope + " burns its error budget at " + tier.describe() + ": " + line;
            }
        }
        return new AlertCondition(key, AlertKind.SLO_BURN, true, tier.severity(), summary, scope, evidence, labels,
                state.asOf());
    }
}
