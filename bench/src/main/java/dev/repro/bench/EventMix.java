package dev.repro.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How often each kind of event occurs in the generated load: relative weights per kind, as in
 * {@code builds=40,runs=20,tests=25,deployments=12,desired=3}. The weights need not add up to
 * 100; a kind left out occurs never.
 */
public record EventMix(Map<EventKind, Integer> weights) {

    /** The kinds of event the contract knows (section 4), by their name in {@code --mix}. */
    public enum EventKind {
        BUILDS("builds"), RUNS("runs"), TESTS("tests"), DEPLOYMENTS("deployments"), DESIRED("desired");

        private final String option;

        EventKind(String option) {
            this.option = option;
        }

        String option() {
            return option;
        }

        static List<String> options() {
            return java.util.Arrays.stream(values()).map(EventKind::option).toList();
        }
    }

    /**
     * The default mix: tests most (one per suite, commit and platform), builds next (every
     * commit of every artifact, and the independent rebuilds), runs (pipelines and training
     * jobs, and their replays), deployments (rollouts and the periodic reports of what runs)
     * and a few desired states (GitOps commits). Assumed for a mid-sized organisation, not
     * measured.
     */
    public static final String DEFAULT = "builds=40,runs=20,tests=25,deployments=12,desired=3";

    public EventMix {
        Map<EventKind, Integer> copy = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            int weight = weights.getOrDefault(kind, 0);
            if (weight < 0) {
                throw new IllegalArgumentException("--mix: the weight of " + kind.option() + " must be 0 or more, got " + weight);
            }
            copy.put(kind, weight);
        }
        if (copy.values().stream().allMatch(w -> w == 0)) {
            throw new IllegalArgumentException("--mix: at least one kind must have a weight above 0");
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses {@code kind=weight,…}: kinds among builds, runs, tests, deployments, desired, each
     * once, weights whole numbers of 0 or more.
     *
     * @throws IllegalArgumentException naming {@code --mix} and the rule broken
     */
    public static EventMix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--mix: expected kind=weight,… (e.g. " + DEFAULT + "), got nothing");
        }
        Map<EventKind, Integer> weights = new EnumMap<>(EventKind.class);
        for (String part : text.split(",", -1)) {
            String entry = part.strip();
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("--mix: expected kind=weight (e.g. builds=40), got '" + entry + "'");
            }
            String name = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            EventKind kind = java.util.Arrays.stream(EventKind.values()).filter(k -> k.option().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--mix: unknown kind '" + name + "': the kinds are "
                            + String.join(", ", EventKind.options())));
            if (weights.containsKey(kind)) {
                throw new IllegalArgumentException("--mix: " + name + " is given twice");
            }
            String value = entry.substring(eq + 1).strip();
            int weight;
            try {
                weight = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: the weight of " + name + " must be a whole number of 0 or more, got '"
                        + value + "'");
            }
            weights.put(kind, weight);
        }
        return new EventMix(weights);
    }

    /** The weight of {@code kind} over the sum of the weights. */
    double share(EventKind kind) {
        return (double) weights.get(kind) / total();
    }

    /** The kind whose cumulative weight range holds {@code draw}, a number in {@code [0, total())}. */
    EventKind pick(int draw) {
        int at = draw;
        for (EventKind kind : EventKind.values()) {
            at -= weights.get(kind);
            if (at < 0) {
                return kind;
            }
        }
        throw new IllegalArgumentException("draw " + draw + " is not below the total weight " + total());
    }

    int total() {
        return weights.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code builds=40,runs=20,…}, every kind in the contract's order, zeros included. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        weights.forEach((kind, weight) -> parts.add(kind.option() + "=" + weight));
        return String.join(",", parts);
    }

    /** The weights by kind name, for results.json. */
    Map<String, Integer> byName() {
        return weights.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().option(), Map.Entry::getValue,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
