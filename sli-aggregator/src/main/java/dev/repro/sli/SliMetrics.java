package dev.repro.sli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Severity;
import dev.repro.schema.SliValue;

/**
 * The SLIs and alerts in the Prometheus text exposition format (version 0.0.4), so Grafana reads
 * them through Prometheus with no plugin. Samples without a value (no data, no budget) are left out.
 */
public final class SliMetrics {

    private SliMetrics() {
    }

    public static String render(List<SliQueries.SliRow> rows, List<Alert> alerts, boolean ready) {
        StringBuilder out = new StringBuilder(8192);
        family(out, "repro_sli", "Value of each SLI by scope and rolling event-time window: a ratio for rates and coverages,"
                + " a count for drift_incidents, the metric's unit for model_reproducibility_delta, ms (p95) for replay_time_to_verify.",
                rows, SliValue::getValue);
        family(out, "repro_sli_target", "SLO target of each SLI by scope, in the unit of repro_sli.", rows,
                v -> v.getTarget());
        family(out, "repro_sli_error_budget_remaining",
                "Fraction of the window's error budget left: 1 untouched, 0 spent, negative overspent.", rows,
                SliValue::getErrorBudgetRemaining);
        family(out, "repro_sli_burn_rate", "Error rate in the window divided by the error rate the SLO allows.", rows,
                SliValue::getBurnRate);
        family(out, "repro_sli_good_events", "Good events in the window (numerator; incidents for drift_incidents).", rows,
                v -> (double) v.getGood());
        family(out, "repro_sli_eligible_events", "Eligible events in the window (denominator).", rows,
                v -> (double) v.getTotal());
        out.append("# HELP repro_sli_replay_time_to_verify_seconds Percentiles of time_to_verify_ms of the replays in the window, in seconds.\n");
        out.append("# TYPE repro_sli_replay_time_to_verify_seconds gauge\n");
        for (SliQueries.SliRow row : rows) {
            SliValue v = row.value();
            if (!Sli.REPLAY_TIME_TO_VERIFY.id().equals(v.getSli())) {
                continue;
            }
            if (row.p50() != null) {
                sample(out, "repro_sli_replay_time_to_verify_seconds", labels(v) + ",percentile=\"50\"", row.p50() / 1000.0);
            }
            if (v.getValue() != null) {
                sample(out, "repro_sli_replay_time_to_verify_seconds", labels(v) + ",percentile=\"95\"", v.getValue() / 1000.0);
            }
        }
        Map<String, Integer> firing = new TreeMap<>();
        for (AlertKind kind : AlertKind.values()) {
            if (kind == AlertKind.UNKNOWN) {
                continue;
            }
            for (Severity severity : Severity.values()) {
                firing.put("kind=\"" + kind + "\",severity=\"" + severity + "\"", 0);
            }
        }
        for (Alert a : alerts) {
            if (a.getStatus() == AlertStatus.FIRING) {
                firing.merge("kind=\"" + a.getKind() + "\",severity=\"" + a.getSeverity() + "\"", 1, Integer::sum);
            }
        }
        out.append("# HELP repro_alerts_firing Alerts currently FIRING, by kind and severity.\n");
        out.append("# TYPE repro_alerts_firing gauge\n");
        firing.forEach((labels, n) -> out.append("repro_alerts_firing{").append(labels).append("} ").append(n).append('\n'));
        out.append("# HELP repro_sli_aggregator_ready 1 when the sli-aggregator's Kafka Streams app is RUNNING.\n");
        out.append("# TYPE repro_sli_aggregator_ready gauge\n");
        out.append("repro_sli_aggregator_ready ").append(ready ? 1 : 0).append('\n');
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String help, List<SliQueries.SliRow> rows,
            Function<SliValue, Double> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        for (SliQueries.SliRow row : rows) {
            Double v = value.apply(row.value());
            if (v != null) {
                sample(out, name, labels(row.value()), v);
            }
        }
    }

    private static String labels(SliValue v) {
        return "sli=\"" + escape(v.getSli()) + "\",scope=\"" + escape(v.getScope()) + "\",window=\"" + v.getWindow() + "\"";
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
    }

    static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
    }

    static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
