package dev.repro.alerts.target;

import dev.repro.schema.Alert;
import dev.repro.streams.DeadLetters;

/**
 * One change of an alert as read from {@code repro.alerts}: the alert, the previous change of the
 * same key read from the same partition (so a target knows what it holds open), and where the
 * record came from.
 *
 * @param alert    the alert as of this change
 * @param previous the previous change of the same key, {@code null} when none is known
 * @param origin   topic, partition, offset and timestamp of the record
 */
public record Change(Alert alert, Alert previous, DeadLetters.Origin origin) {

    /**
     * The change's idempotency id, {@code <topic>/<partition>/<offset>}: the same for every attempt
     * and every re-delivery of this record, different for every other record.
     */
    public String deliveryId() {
        return origin.topic() + "/" + origin.partition() + "/" + origin.offset();
    }
}
