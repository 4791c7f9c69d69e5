package dev.repro.bench;

import java.util.Locale;

/**
 * What the load generator makes ({@link LoadGenerator}): the event mix, how many distinct
 * recipes the builds cover, and the shares of rebuilds, replays, late and duplicated events.
 * Every fraction is from 0 to 1.
 *
 * @param mix                  relative weights of builds, runs, tests, deployments and desired states
 * @param recipes              distinct recipe keys among the builds ({@code --recipes})
 * @param rebuildRatio         share of builds that independently rebuild a recipe already built ({@code rebuild_of} set)
 * @param unreproducibleRatio  share of those rebuilds that produce another artifact digest (the recipe turns UNREPRODUCIBLE)
 * @param replayRatio          share of runs that replay an earlier run ({@code replay_of} set)
 * @param replayMismatchRatio  share of those replays whose outputs differ beyond tolerance (MISMATCH)
 * @param lateFraction         share of events whose event time lies behind the stream time, by 1 s to 6 h: within
 *                             every app's grace (1 day at the least)
 * @param beyondGraceFraction  share of events 25 to 72 h behind the stream time: past the SLI aggregator's and the
 *                             drift detector's grace (1 day, so dead-lettered there), within the verifier's (14 days)
 * @param duplicateFraction    share of events that re-send an event sent shortly before (same source, id and content)
 * @param seed                 the same seed gives the same records
 */
public record LoadProfile(EventMix mix, int recipes, double rebuildRatio, double unreproducibleRatio, double replayRatio,
                   double replayMismatchRatio, double lateFraction, double beyondGraceFraction, double duplicateFraction,
                   long seed) {

    public static final int DEFAULT_RECIPES = 10_000;
    /** Rebuilders (a reproducibility checker, a second CI) rebuild about a third of what is built. */
    public static final double DEFAULT_REBUILD_RATIO = 0.30;
    /** One rebuild in ten gives another digest: timestamps, locale, an unpinned toolchain. */
    public static final double DEFAULT_UNREPRODUCIBLE_RATIO = 0.10;
    /** One run in five is a replay (audits, model re-training checks). */
    public static final double DEFAULT_REPLAY_RATIO = 0.20;
    /** One replay in ten differs: a seed not pinned, another environment, nondeterminism. */
    public static final double DEFAULT_REPLAY_MISMATCH_RATIO = 0.10;
    /** Webhook retries and CI agents that buffer: one event in twenty arrives behind others. */
    public static final double DEFAULT_LATE_FRACTION = 0.05;
    /** A relay down for a day or more now and then: one event in a thousand. */
    public static final double DEFAULT_BEYOND_GRACE_FRACTION = 0.001;
    /** At-least-once webhook delivery: two events in a hundred are sent twice. */
    public static final double DEFAULT_DUPLICATE_FRACTION = 0.02;
    public static final long DEFAULT_SEED = 42;

    /** A duplicate-heavy stream measures little but re-sends; past a half it is refused. */
    static final double MAX_DUPLICATE_FRACTION = 0.5;

    public LoadProfile {
        if (mix == null) {
            throw new IllegalArgumentException("--mix: must be given");
        }
        if (recipes < 1) {
            throw new IllegalArgumentException("--recipes: must be at least 1, got " + recipes);
        }
        requireFraction("--rebuild-ratio", rebuildRatio);
        requireFraction("--unreproducible-ratio", unreproducibleRatio);
        requireFraction("--replay-ratio", replayRatio);
        requireFraction("--replay-mismatch-ratio", replayMismatchRatio);
        requireFraction("--late-fraction", lateFraction);
        requireFraction("--beyond-grace-fraction", beyondGraceFraction);
        requireFraction("--duplicate-fraction", duplicateFraction);
        if (lateFraction + beyondGraceFraction > 1) {
            throw new IllegalArgumentException("--late-fraction plus --beyond-grace-fraction must be at most 1, got "
                    + format(lateFraction) + " + " + format(beyondGraceFraction));
        }
        if (duplicateFraction > MAX_DUPLICATE_FRACTION) {
            throw new IllegalArgumentException("--duplicate-fraction: must be at most " + format(MAX_DUPLICATE_FRACTION)
                    + " (a stream of mostly re-sends measures little), got " + format(duplicateFraction));
        }
    }

    /** The defaults above, over {@code recipes} recipes. */
    public static LoadProfile defaults(int recipes) {
        return new LoadProfile(EventMix.parse(EventMix.DEFAULT), recipes, DEFAULT_REBUILD_RATIO, DEFAULT_UNREPRODUCIBLE_RATIO,
                DEFAULT_REPLAY_RATIO, DEFAULT_REPLAY_MISMATCH_RATIO, DEFAULT_LATE_FRACTION, DEFAULT_BEYOND_GRACE_FRACTION,
                DEFAULT_DUPLICATE_FRACTION, DEFAULT_SEED);
    }

    /**
     * The profile from {@code repro bench}'s options, each fraction a number from 0 to 1 or a
     * percentage.
     *
     * @throws IllegalArgumentException naming the first option that breaks a rule, and the rule
     */
    public static LoadProfile fromOptions(String mix, int recipes, String rebuildRatio, String unreproducibleRatio,
                                          String replayRatio, String replayMismatchRatio, String lateFraction,
                                          String beyondGraceFraction, String duplicateFraction, long seed) {
        return new LoadProfile(EventMix.parse(mix), recipes, fraction("--rebuild-ratio", rebuildRatio),
                fraction("--unreproducible-ratio", unreproducibleRatio), fraction("--replay-ratio", replayRatio),
                fraction("--replay-mismatch-ratio", replayMismatchRatio), fraction("--late-fraction", lateFraction),
                fraction("--beyond-grace-fraction", beyondGraceFraction), fraction("--duplicate-fraction", duplicateFraction),
                seed);
    }

    /**
     * Parses the value of a fraction option: a number from 0 to 1 ({@code 0.05}) or a percentage
     * ({@code 5%}).
     *
     * @throws IllegalArgumentException naming {@code option} and the rule
     */
    static double fraction(String option, String text) {
        String value = text == null ? "" : text.strip();
        boolean percent = value.endsWith("%");
        double parsed;
        try {
            parsed = Double.parseDouble(percent ? value.substring(0, value.length() - 1).strip() : value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": must be a fraction from 0 to 1 (e.g. 0.05) or a percentage (5%), got '"
                    + value + "'");
        }
        double fraction = percent ? parsed / 100 : parsed;
        requireFraction(option, fraction);
        return fraction;
    }

    private static void requireFraction(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option + ": must be a fraction from 0 to 1 (e.g. 0.05) or a percentage (5%), got "
                    + format(value));
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }

    /** One line for the table's header. */
    String describe() {
        return String.format(Locale.ROOT, "load: mix %s; %,d recipes; rebuilds %s of builds (%s of them unreproducible); "
                        + "replays %s of runs (%s mismatching); late %s (+%s beyond grace); duplicates %s; seed %d",
                mix, recipes, percent(rebuildRatio), percent(unreproducibleRatio), percent(replayRatio),
                percent(replayMismatchRatio), percent(lateFraction), percent(beyondGraceFraction), percent(duplicateFraction), seed);
    }

    private static String percent(double fraction) {
        String s = String.format(Locale.ROOT, "%.2f", fraction * 100);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s + "%";
    }
}
