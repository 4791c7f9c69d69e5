package dev.repro.sli;

import java.util.Optional;

import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.schema.Alert;

/**
 * The {@link AlertLifecycle} of the REPLAY_FAILED, UNREPRODUCIBLE_BUILD and DRIFT alerts, keyed by
 * alert key, fed by the conditions the verdicts show; run by {@link SliAggregation}, so that one
 * task writes every alert of its partition.
 */
final class VerdictAlertLifecycle {

    static final String ALERTS_STORE = "verdict-alerts-store";

    private final AlertLifecycle lifecycle;
    private final KeyValueStore<String, AlertState> alerts;

    VerdictAlertLifecycle(SliConfig config, KeyValueStore<String, AlertState> alerts) {
        this.lifecycle = new AlertLifecycle(config.flapWindow());
        this.alerts = alerts;
    }

    /** Applies the condition {@code carrier} holds to its alert; the change to send, if any. */
    Optional<Alert> on(Alert carrier) {
        AlertCondition condition = AlertCondition.fromCarrier(carrier);
        AlertLifecycle.Transition t = lifecycle.on(alerts.get(condition.key()), condition);
        alerts.put(condition.key(), t.state());
        return t.emitted();
    }
}
