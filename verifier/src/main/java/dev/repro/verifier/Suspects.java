package dev.repro.verifier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.Material;
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
        Set<String> digests = new LinkedHashSet<>();
        successfulBuilds.forEach(b -> digests.add(b.getArtifact().getDigest()));
        if (digests.size() < 2) {
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<String, Function<BuildEvent, String>> path : paths(successfulBuilds).entrySet()) {
            double score = score(successfulBuilds, path.getValue());
            if (score > 0) {
                candidates.add(new Candidate(path.getKey(), score, prior(path.getKey(), successfulBuilds, path.getValue()),
                        valuesByDigest(successfulBuilds, path.getValue())));
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

    /** Every candidate path with how to read it from a build, in a stable order. */
    private static Map<String, Function<BuildEvent, String>> paths(List<BuildEvent> builds) {
        Map<String, Function<BuildEvent, String>> paths = new LinkedHashMap<>();
        paths.put("builder.id", b -> b.getBuilder().getId());
        paths.put("builder.image_digest", b -> b.getBuilder().getImageDigest());
        Set<String> envKeys = new TreeSet<>();
        Set<String> materialUris = new TreeSet<>();
        for (BuildEvent b : builds) {
            envKeys.addAll(b.getEnvironment().keySet());
            b.getMaterials().forEach(m -> materialUris.add(m.getUri()));
        }
        for (String key : envKeys) {
            paths.put("environment." + key, b -> b.getEnvironment().get(key));
        }
        for (String uri : materialUris) {
            paths.put("materials[" + uri + "]", b -> b.getMaterials().stream()
                    .filter(m -> m.getUri().equals(uri)).map(Material::getDigest).findFirst().orElse(null));
        }
        return paths;
    }

    private static double score(List<BuildEvent> builds, Function<BuildEvent, String> value) {
        long crossPairs = 0;
        long crossDiffer = 0;
        long samePairs = 0;
        long sameAgree = 0;
        for (int i = 0; i < builds.size(); i++) {
            for (int j = i + 1; j < builds.size(); j++) {
                boolean sameDigest = builds.get(i).getArtifact().getDigest().equals(builds.get(j).getArtifact().getDigest());
                boolean sameValue = Objects.equals(value.apply(builds.get(i)), value.apply(builds.get(j)));
                if (sameDigest) {
                    samePairs++;
                    sameAgree += sameValue ? 1 : 0;
                } else {
                    crossPairs++;
                    crossDiffer += sameValue ? 0 : 1;
                }
            }
        }
        double separation = crossPairs == 0 ? 0 : (double) crossDiffer / crossPairs;
        double consistency = samePairs == 0 ? 1 : (double) sameAgree / samePairs;
        return separation * consistency;
    }

    private static int prior(String path, List<BuildEvent> builds, Function<BuildEvent, String> value) {
        if (path.equals("environment.SOURCE_DATE_EPOCH")) {
            return builds.stream().anyMatch(b -> value.apply(b) == null) ? 100 : 80;
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
    private static Map<String, List<String>> valuesByDigest(List<BuildEvent> builds, Function<BuildEvent, String> value) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (BuildEvent b : builds) {
            List<String> seen = values.computeIfAbsent(b.getArtifact().getDigest(), d -> new ArrayList<>());
            String v = value.apply(b);
            if (!seen.contains(v)) {
                seen.add(v);
            }
        }
        return values;
    }
}
