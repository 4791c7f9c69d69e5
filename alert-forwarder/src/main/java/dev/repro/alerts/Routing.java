package dev.repro.alerts;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Severity;

/**
 * Which targets get which alerts, by severity: e.g. PAGE to PagerDuty and Alertmanager, TICKET
 * to the webhook only.
 *
 * <p>A change goes to a target when the target takes the change's severity, and also when the
 * target holds the key open from the previous change (it was FIRING with a severity the target
 * takes): so a target that was paged always hears how the alert ended, even when the alert was
 * downgraded to a severity it does not take, or resolved with another severity.
 *
 * @param page   targets of PAGE alerts
 * @param ticket targets of TICKET alerts
 */
public record Routing(Set<TargetKind> page, Set<TargetKind> ticket) {

    public Routing {
        page = page.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(page));
        ticket = ticket.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ticket));
    }

    /** Whether {@code target} takes alerts of {@code severity}. */
    public boolean routes(TargetKind target, Severity severity) {
        return (severity == Severity.PAGE ? page : ticket).contains(target);
    }

    /** Whether {@code target} holds {@code alert} open: it is FIRING with a severity the target takes. */
    public boolean openAt(TargetKind target, Alert alert) {
        return alert != null && alert.getStatus() == AlertStatus.FIRING && routes(target, alert.getSeverity());
    }

    /** The targets of {@code current}, given the {@code previous} change of the same key ({@code null} if none is known). */
    public Set<TargetKind> targetsFor(Alert previous, Alert current) {
        EnumSet<TargetKind> targets = EnumSet.noneOf(TargetKind.class);
        for (TargetKind target : TargetKind.values()) {
            if (routes(target, current.getSeverity()) || openAt(target, previous)) {
                targets.add(target);
            }
        }
        return targets;
    }

    /** {@code PAGE -> alertmanager, pagerduty; TICKET -> webhook}, for start-up logs. */
    public String describe() {
        return "PAGE -> " + names(page) + "; TICKET -> " + names(ticket);
    }

    private static String names(Set<TargetKind> targets) {
        return targets.isEmpty() ? "nothing"
                : EnumSet.copyOf(targets).stream().map(TargetKind::id).collect(Collectors.joining(", "));
    }
}
