package dev.repro.sli;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.repro.schema.TestEvent;

/**
 * The runs of one test suite at one commit, by event (source + id), for
 * {@code test_reproducibility_rate}: eligible once the suite ran in at least two environments,
 * good when every run had the same outcome.
 */
public final class SuiteRuns {

    /** One run: environment, outcome and event time. */
    public record Run(String environment, String outcome, long time) {
    }

    private final TreeMap<String, Run> runs;
    private final TreeMap<String, String> labels;

    public SuiteRuns() {
        this(new TreeMap<>(), new TreeMap<>());
    }

    public SuiteRuns(TreeMap<String, Run> runs, TreeMap<String, String> labels) {
        this.runs = runs;
        this.labels = labels;
    }

    /** Adds the run; false when this event (same source and id) was already counted. */
    public boolean add(TestEvent event) {
        String id = event.getSource() + "|" + event.getId();
        if (runs.containsKey(id)) {
            return false;
        }
        long time = event.getTime().toEpochMilli();
        runs.put(id, new Run(event.getEnvironment(), event.getOutcome().name(), time));
        if (time >= latest()) {
            labels.clear();
            labels.putAll(event.getLabels());
        }
        return true;
    }

    public long latest() {
        long latest = Long.MIN_VALUE;
        for (Run r : runs.values()) {
            latest = Math.max(latest, r.time());
        }
        return latest;
    }

    public boolean eligible() {
        return runs.values().stream().map(Run::environment).distinct().count() >= 2;
    }

    public boolean oneOutcome() {
        return new TreeSet<>(runs.values().stream().map(Run::outcome).toList()).size() == 1;
    }

    public Map<String, Run> runs() {
        return runs;
    }

    public Map<String, String> labels() {
        return labels;
    }
}
