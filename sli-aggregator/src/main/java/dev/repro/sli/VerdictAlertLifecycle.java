package dev.repro.sli;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.schema.Alert;

/**
 * Stage 3, keyed by alert key: the {@link AlertLifecycle} of the REPLAY_FAILED,
 * UNREPRODUCIBLE_BUILD and DRIFT alerts, fed by the conditions the verdicts show.
 */
final class VerdictAlertLifecycle implements Processor<String, Alert, String, Alert> {

    static final String ALERTS_STORE = "verdict-alerts-store";

    private final AlertLifecycle lifecycle;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, AlertState> alerts;

    VerdictAlertLifecycle(SliConfig config) {
        this.lifecycle = new AlertLifecycle(config.flapWindow());
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.alerts = context.getStateStore(ALERTS_STORE);
    }

    @Override
    public void process(Record<String, Alert> record) {
        AlertCondition condition = AlertCondition.fromCarrier(record.value());
        AlertLifecycle.Transition t = lifecycle.on(alerts.get(condition.key()), condition);
        alerts.put(condition.key(), t.state());
        t.emitted().ifPresent(alert -> context.forward(new Record<>(alert.getKey(), alert, alert.getAsOf().toEpochMilli())));
    }
}
