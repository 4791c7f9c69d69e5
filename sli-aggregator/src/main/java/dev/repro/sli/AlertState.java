package dev.repro.sli;

import dev.repro.schema.Alert;

/**
 * What the lifecycle remembers per alert key: the last alert sent (null when none yet), the
 * event time it was resolved at (when RESOLVED) and the event time of the latest condition seen,
 * so an older condition arriving late cannot undo a newer one.
 */
public record AlertState(Alert alert, long resolvedAt, long lastConditionTime) {
}
