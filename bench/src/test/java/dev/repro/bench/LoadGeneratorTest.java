package dev.repro.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import dev.repro.bench.EventMix.EventKind;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.TestEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.RecipeKey;
import dev.repro.topics.TopicId;
import dev.repro.topics.TypedPartitioning;

class LoadGeneratorTest {

    private static final int EVENTS = 10_000;
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Map<TopicId, EventKind> KIND_OF_TOPIC = Map.of(TopicId.BUILDS, EventKind.BUILDS, TopicId.RUNS,
            EventKind.RUNS, TopicId.TESTS, EventKind.TESTS, TopicId.DEPLOYMENTS, EventKind.DEPLOYMENTS, TopicId.DESIRED,
            EventKind.DESIRED);

    private final AvroSerdes serdes = AvroSerdes.create();

    static List<LoadProfile> profiles() {
        return List.of(LoadProfile.defaults(10_000),
                new LoadProfile(EventMix.parse("builds=30,runs=30,tests=10,deployments=20,desired=10"), 500, 0.5, 0.4, 0.35,
                        0.25, 0.2, 0.05, 0.1, 7));
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void shouldMeetTheRequestedMixAndFractionsWithinTolerance(LoadProfile profile) {
        // Given
        LoadGenerator generator = new LoadGenerator(profile);
        Map<EventKind, Integer> kinds = new EnumMap<>(EventKind.class);
        Set<String> sent = new HashSet<>();
        Map<String, String> originalDigest = new HashMap<>();
        Map<String, Object> originalOutputs = new HashMap<>();
        int events = 0;
        int duplicates = 0;
        int firstSends = 0;
        int late = 0;
        int beyondGrace = 0;
        long latest = Long.MIN_VALUE;
        int builds = 0;
        int rebuilds = 0;
        int unreproducible = 0;
        int runs = 0;
        int replays = 0;
        int mismatching = 0;

        // When
        while (events < EVENTS) {
            LoadGenerator.Generated g = generator.next();
            EventKind kind = KIND_OF_TOPIC.get(g.topic());
            if (kind == null) {
                continue; // a verdict
            }
            events++;
            kinds.merge(kind, 1, Integer::sum);
            String id = source(g.value()) + "|" + id(g.value());
            if (!sent.add(id)) {
                duplicates++;
                continue;
            }
            firstSends++;
            long time = time(g.value());
            if (time < latest) {
                late++;
                if (latest - time > Duration.ofDays(1).toMillis()) {
                    beyondGrace++;
                }
            }
            latest = Math.max(latest, time);
            if (g.value() instanceof BuildEvent b) {
                builds++;
                if (b.getRebuildOf() == null) {
                    originalDigest.putIfAbsent(g.key(), b.getArtifact().getDigest());
                } else {
                    rebuilds++;
                    if (!b.getArtifact().getDigest().equals(originalDigest.get(g.key()))) {
                        unreproducible++;
                    }
                }
            } else if (g.value() instanceof RunEvent r) {
                runs++;
                if (r.getReplayOf() == null) {
                    originalOutputs.put(r.getRunId(), r.getOutputs());
                } else {
                    replays++;
                    if (!r.getOutputs().equals(originalOutputs.get(r.getReplayOf()))) {
                        mismatching++;
                    }
                }
            }
        }

        // Then
        for (EventKind kind : EventKind.values()) {
            assertFraction(kind.option(), kinds.getOrDefault(kind, 0), EVENTS, profile.mix().share(kind));
        }
        assertFraction("duplicates", duplicates, EVENTS, profile.duplicateFraction());
        assertFraction("late (within grace)", late - beyondGrace, firstSends, profile.lateFraction());
        assertFraction("beyond grace", beyondGrace, firstSends, profile.beyondGraceFraction());
        assertFraction("rebuilds", rebuilds, builds, profile.rebuildRatio());
        assertFraction("unreproducible rebuilds", unreproducible, rebuilds, profile.unreproducibleRatio());
        assertFraction("replays", replays, runs, profile.replayRatio());
        assertFraction("mismatching replays", mismatching, replays, profile.replayMismatchRatio());
    }

    /** Within four standard deviations of a binomial share over {@code n}. */
    private static void assertFraction(String what, int count, int n, double expected) {
        double tolerance = 4 * Math.sqrt(expected * (1 - expected) / n) + 1e-9;
        assertThat((double) count / n).as(what + ": " + count + " of " + n).isCloseTo(expected, within(tolerance));
    }

    @Test
    void shouldGiveTheSameRecordsForTheSameSeedAndOthersForAnother() {
        // Given
        LoadProfile profile = LoadProfile.defaults(1_000);
        LoadProfile otherSeed = new LoadProfile(profile.mix(), 1_000, profile.rebuildRatio(), profile.unreproducibleRatio(),
                profile.replayRatio(), profile.replayMismatchRatio(), profile.lateFraction(), profile.beyondGraceFraction(),
                profile.duplicateFraction(), profile.seed() + 1);

        // When
        List<String> first = serialized(profile, 5_000);
        List<String> second = serialized(profile, 5_000);
        List<String> other = serialized(otherSeed, 5_000);

        // Then
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private List<String> serialized(LoadProfile profile, int count) {
        LoadGenerator generator = new LoadGenerator(profile);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LoadGenerator.Generated g = generator.next();
            out.add(g.topic() + " " + g.key() + " " + java.util.HexFormat.of().formatHex(serdes.serialize(g.value())));
        }
        return out;
    }

    @Test
    void shouldMakeEveryRecordValidAndKeyedAsIngestAndTheAppsKeyIt() {
        // Given
        LoadGenerator generator = new LoadGenerator(profiles().get(1));
        Set<RebuildStatus> rebuildStatuses = new HashSet<>();
        Set<ReplayStatus> replayStatuses = new HashSet<>();
        int driftStatuses = 0;

        for (int i = 0; i < 20_000; i++) {
            // When
            LoadGenerator.Generated g = generator.next();
            byte[] bytes = serdes.serialize(g.value());

            // Then
            SpecificRecord back = serdes.deserializeAny(bytes);
            assertThat(back).as("round trip of " + g).isEqualTo(g.value());
            assertThat(g.topic().valueType()).isEqualTo(g.value().getClass());
            assertThat(g.key()).as("key of " + g).isEqualTo(expectedKey(g.value()));
            if (g.value() instanceof BuildEvent b) {
                assertThat(b.getArtifact().getDigest()).matches(DIGEST);
                assertThat(b.getRecipeDigest()).matches(DIGEST);
                assertThat(b.getCommit()).matches(COMMIT);
                b.getMaterials().forEach(m -> assertThat(m.getDigest()).matches(DIGEST));
            } else if (g.value() instanceof RunEvent r) {
                assertThat(r.getCodeDigest()).matches(DIGEST);
                assertThat(r.getReplayOf()).isNotEqualTo(r.getRunId());
                assertThat(r.getFinishedAt()).isAfterOrEqualTo(r.getStartedAt());
                r.getOutputs().forEach(o -> assertThat(o.getDigest()).matches(DIGEST));
            } else if (g.value() instanceof TestEvent t) {
                assertThat(t.getCommit()).matches(COMMIT);
            } else if (g.value() instanceof DesiredState d) {
                assertThat(d.getArtifactDigest()).matches(DIGEST);
                assertThat(d.getGitCommit()).matches(COMMIT);
            } else if (g.value() instanceof DeploymentEvent d && d.getArtifactDigest() != null) {
                assertThat(d.getArtifactDigest()).matches(DIGEST);
                assertThat(d.getImageRef()).endsWith("@" + d.getArtifactDigest());
            } else if (g.value() instanceof RebuildVerdict v) {
                rebuildStatuses.add(v.getStatus());
            } else if (g.value() instanceof ReplayVerdict v) {
                replayStatuses.add(v.getStatus());
            } else if (g.value() instanceof DriftStatus) {
                driftStatuses++;
            }
        }
        assertThat(rebuildStatuses).contains(RebuildStatus.PENDING, RebuildStatus.REPRODUCIBLE, RebuildStatus.UNREPRODUCIBLE);
        assertThat(replayStatuses).contains(ReplayStatus.MATCH, ReplayStatus.MISMATCH);
        assertThat(driftStatuses).isPositive();
    }

    private static String expectedKey(SpecificRecord value) {
        if (value instanceof BuildEvent b) {
            return RecipeKey.of(b).toString();
        } else if (value instanceof RunEvent r) {
            return r.getReplayOf() == null ? r.getRunId() : r.getReplayOf();
        } else if (value instanceof TestEvent t) {
            return t.getSuite() + "@" + t.getCommit();
        } else if (value instanceof DeploymentEvent d) {
            return d.getService() + "/" + d.getEnvironment() + "/" + d.getCluster();
        } else if (value instanceof DesiredState d) {
            return d.getService() + "/" + d.getEnvironment() + (d.getCluster() == null ? "" : "/" + d.getCluster());
        } else if (value instanceof RebuildVerdict v) {
            return v.getRecipeKey();
        } else if (value instanceof ReplayVerdict v) {
            return v.getOriginalRunId();
        } else if (value instanceof DriftStatus d) {
            return d.getTarget();
        }
        throw new AssertionError("unexpected record " + value);
    }

    @Test
    void shouldFeedAStageOnlyItsOwnTopicsPartitionedAsIngestDoes() {
        // Given
        LoadProfile profile = LoadProfile.defaults(1_000);

        // When
        StageInput input = StageInput.generate(profile, List.of(TopicId.DESIRED, TopicId.DEPLOYMENTS), 2_000, 3, serdes);

        // Then
        assertThat(input.size()).isEqualTo(2_000);
        assertThat(input.records()).extracting(StageInput.InputRecord::topic).containsOnly(TopicId.DESIRED, TopicId.DEPLOYMENTS);
        for (StageInput.InputRecord r : input.records()) {
            String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(r.partition()).isEqualTo(TypedPartitioning.partition(r.topic(), key, 3));
        }
        assertThat(input.bytes()).isEqualTo(input.records().stream().mapToLong(r -> r.key().length + r.value().length).sum());
        assertThat(input.describe()).isEqualTo("desired, deployments");
    }

    private static String source(SpecificRecord value) {
        return String.valueOf(value.get(value.getSchema().getField("source").pos()));
    }

    private static String id(SpecificRecord value) {
        return String.valueOf(value.get(value.getSchema().getField("id").pos()));
    }

    private static long time(SpecificRecord value) {
        return ((java.time.Instant) value.get(value.getSchema().getField("time").pos())).toEpochMilli();
    }
}
