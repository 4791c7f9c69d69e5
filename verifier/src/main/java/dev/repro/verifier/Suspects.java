package dev.repro.verifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.Suspect;

/**
 * The build inputs that differ between successful builds of a recipe that produced different
 * artifact digests, most likely cause first.
 *
 * <p>Candidates are {@code builder.id}, {@code builder.image_digest}, every
 * {@code environment.<KEY>} and every {@code materials[<uri>]} any build reported (absent =
 * {@code null}). A candidate's score is the product of two fractions over pairs of builds:
 * of the pairs with different artifact digests, how many differ in this input; of the pairs
 * with the same digest, how many agree on it (1 when there are none). So 1 means every digest's
 * builds agree among themselves and differ from the other digests' builds; an input that never
 * differs across digests is not a suspect. Ties are broken by how often the input is the cause
 * of unreproducible builds in practice: a missing {@code SOURCE_DATE_EPOCH}, then a differing
 * material, {@code SOURCE_DATE_EPOCH}, {@code TZ}, locale, the builder image, other environment
 * entries, and last the builder id; then by path.
 */
public final class Suspects {

    private Suspects() {
    }

    /** Suspects among {@code successfulBuilds} (in event-time order); empty when they share one digest. */
    public static List<Suspect> rank(List<BuildEvent> successfulBuilds) {
        List<String> digestOf = successfulBuilds.stream().map(b -> b.getArtifact().getDigest()).toList();
        if (new HashSet<>(digestOf).size() < 2) {
            return List.of();
        }
        List<Map<String, String>> materials = successfulBuilds.stream().map(Suspects::materialDigests).toList();
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<String, Function<Integer, String>> path : paths(successfulBuilds, materials).entrySet()) {
            List<String> values = new ArrayList<>(successfulBuilds.size());
            for (int i = 0; i < successfulBuilds.size(); i++) {
                values.add(path.getValue().apply(i));
            }
            double score = score(digestOf, values);
            if (score > 0) {
                candidates.add(new Candidate(path.getKey(), score, prior(path.getKey(), values),
                        valuesByDigest(digestOf, values)));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparing(Comparator.comparingInt(Candidate::prior).reversed())
                .thenComparing(Candidate::path));
        List<Suspect> suspects = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            suspects.add(Suspect.newBuilder().setPath(c.path()).setValues(c.values()).setRank(i + 1).setScore(c.score()).build());
        }
        return suspects;
    }

    private record Candidate(String path, double score, int prior, Map<String, List<String>> values) {
    }

    /**
     * Every candidate path with how to read it from the build at an index of {@code builds}, in a
     * stable order; {@code materials} holds each build's material digests by URI.
     */
    private static Map<String, Function<Integer, String>> paths(List<BuildEvent> builds, List<Map<String, String>> materials) {
        Map<String, Function<Integer, String>> paths = new LinkedHashMap<>();
        paths.put("builder.id", i -> builds.get(i).getBuilder().getId());
        paths.put("builder.image_digest", i -> builds.get(i).getBuilder().getImageDigest());
        Set<String> envKeys = new TreeSet<>();
        Set<String> materialUris = new TreeSet<>();
        for (int i = 0; i < builds.size(); i++) {
            envKeys.addAll(builds.get(i).getEnvironment().keySet());
            materialUris.addAll(materials.get(i).keySet());
        }
        for (String key : envKeys) {
            paths.put("environment." + key, i -> builds.get(i).getEnvironment().get(key));
        }
        for (String uri : materialUris) {
            paths.put("materials[" + uri + "]", i -> materials.get(i).get(uri));
        }
        return paths;
    }

    /** A build's material digests by URI, the first where a URI is listed twice. */
    private static Map<String, String> materialDigests(BuildEvent build) {
        Map<String, String> digests = new HashMap<>();
        build.getMaterials().forEach(m -> digests.putIfAbsent(m.getUri(), m.getDigest()));
        return digests;
    }

    /**
     * Separation times consistency over all pairs of builds, counted by grouping instead of
     * visiting every pair: pairs of one digest are the sum of n(digest)·(n(digest)-1)/2, pairs
     * agreeing on the value likewise by value, and pairs of one digest agreeing on it by both.
     */
    private static double score(List<String> digests, List<String> values) {
        Map<String, Long> byDigest = new HashMap<>();
        Map<String, Long> byValue = new HashMap<>();
        Map<List<String>, Long> byBoth = new HashMap<>();
        for (int i = 0; i < digests.size(); i++) {
            byDigest.merge(digests.get(i), 1L, Long::sum);
            byValue.merge(values.get(i), 1L, Long::sum);
            byBoth.merge(Arrays.asList(digests.get(i), values.get(i)), 1L, Long::sum);
        }
        long n = digests.size();
        long samePairs = pairs(byDigest);
        long sameAgree = pairs(byBoth);
        long crossPairs = n * (n - 1) / 2 - samePairs;
        long crossDiffer = crossPairs - (pairs(byValue) - sameAgree);
        double separation = crossPairs == 0 ? 0 : (double) crossDiffer / crossPairs;
        double consistency = samePairs == 0 ? 1 : (double) sameAgree / samePairs;
        return separation * consistency;
    }

    private static long pairs(Map<?, Long> counts) {
        long pairs = 0;
        for (long c : counts.values()) {
            pairs += c * (c - 1) / 2;
        }
        return pairs;
    }

    private static int prior(String path, List<String> values) {
        if (path.equals("environment.SOURCE_DATE_EPOCH")) {
            return values.contains(null) ? 100 : 80;
        }
        if (path.startsWith("materials[")) {
            return 90;
        }
        if (path.equals("environment.TZ")) {
            return 70;
        }
        if (path.equals("environment.LANG") || path.equals("environment.LANGUAGE") || path.startsWith("environment.LC_")) {
            return 60;
        }
        if (path.equals("builder.image_digest")) {
            return 50;
        }
        if (path.startsWith("environment.")) {
            return 40;
        }
        return 10;
    }

    /** Key = artifact digest in order of first appearance; value = distinct values in order of first appearance. */
    private static Map<String, List<String>> valuesByDigest(List<String> digests, List<String> values) {
        Map<String, List<String>> byDigest = new LinkedHashMap<>();
        for (int i = 0; i < digests.size(); i++) {
            List<String> seen = byDigest.computeIfAbsent(digests.get(i), d -> new ArrayList<>());
            if (!seen.contains(values.get(i))) {
                seen.add(values.get(i));
            }
        }
        return byDigest;
    }
}
