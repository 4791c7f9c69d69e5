package dev.repro.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;

import dev.repro.bench.EventMix.EventKind;
import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
import dev.repro.schema.Criticality;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DeploymentKind;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.Material;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunInput;
import dev.repro.schema.RunOutput;
import dev.repro.schema.RunStatus;
import dev.repro.schema.TestEvent;
import dev.repro.schema.TestOutcome;
import dev.repro.topics.RecipeKey;
import dev.repro.topics.TopicId;
import dev.repro.verifier.RebuildVerification;
import dev.repro.verifier.RecipeBuilds;
import dev.repro.verifier.ReplayVerification;

/**
 * An endless, seeded stream of realistic events after a {@link LoadProfile}, each with the topic
 * and key ingest gives it (CONTRACT section 5), followed by the verdicts they are due (what the
 * verifier and the drift detector would write, for the SLI aggregator, which reads them).
 *
 * <p>The world: 24 services of 4 teams, one artifact per service; recipe {@code r} is the
 * service {@code r mod 24} at its own commit. Original builds take the recipes in turn (new
 * commits), so each is built once before any comes round again; rebuilds (another builder,
 * {@code rebuild_of} set) pick one of the last 1,000 recipes built, and an unreproducible one
 * gives another digest with another {@code TZ} and builder image. Runs are of 12 jobs; a replay
 * repeats one of the last 1,000 originals, and a mismatching one has another seed and output.
 * Tests run a suite of a recently built commit on one of three platforms, mostly passing. Desired
 * states pin a service in staging (one cluster) or prod (three) to its latest built digest;
 * deployments roll that out where a cluster lags, else now and then hot-fix another digest (4%)
 * or deploy a mutable tag (1%), and otherwise report what runs.
 *
 * <p>Event time advances 10 ms a step (100 events/s, a busy organisation). A late event lies
 * 1 s to 6 h behind it (log-uniform), one beyond grace 25 to 72 h; a duplicate re-sends one of
 * the last 64 events of its kind unchanged, its event time included. The same seed gives the same
 * records, byte for byte (maps are sorted).
 */
final class LoadGenerator {

    /** One record of the stream: the topic (of the catalog) it goes to, its key, its value. */
    record Generated(TopicId topic, String key, SpecificRecord value) {
    }

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final long STEP_MS = 10;
    static final Duration LATE_MIN = Duration.ofSeconds(1);
    static final Duration LATE_MAX = Duration.ofHours(6);
    static final Duration BEYOND_GRACE_MIN = Duration.ofHours(25);
    static final Duration BEYOND_GRACE_MAX = Duration.ofHours(72);

    static final List<String> SERVICES = List.of("checkout", "payments", "search", "catalog", "auth", "gateway", "cart",
            "orders", "inventory", "shipping", "billing", "pricing", "reviews", "recommend", "notify", "profile", "media",
            "ledger", "fraud", "loyalty", "support", "reports", "export", "scheduler");
    private static final List<String> TEAMS = List.of("shop", "platform", "data", "money");
    private static final List<String> JOBS = List.of("train-ranker", "train-fraud", "train-forecast", "etl-orders",
            "etl-clicks", "etl-ledger", "score-churn", "score-risk", "report-daily", "report-finance", "backtest-pricing",
            "embed-catalog");
    private static final List<String> SUITES = List.of("unit", "integration", "contract");
    private static final List<String> PLATFORMS = List.of("linux-amd64", "linux-arm64", "macos-arm64");
    private static final List<String> ENVIRONMENTS = List.of("staging", "prod");
    private static final int RECENT = 1_000;
    private static final int RECENT_PER_KIND = 64;
    private static final int JUDGED_BUILDS = 64;

    private final LoadProfile profile;
    private final SplittableRandom random;
    private final ArrayDeque<Generated> due = new ArrayDeque<>();
    private final Map<EventKind, List<Generated>> recentByKind = new EnumMap<>(EventKind.class);
    private final Map<EventKind, Integer> sentByKind = new EnumMap<>(EventKind.class);

    private long step;
    private int originalBuilds;
    private final Map<Integer, RecipeState> recipes = new HashMap<>();
    private final int[] recentRecipes = new int[RECENT];
    private int recipesBuilt;
    private final String[] latestDigestOfService = new String[SERVICES.size()];

    private final RunEvent[] recentOriginals = new RunEvent[RECENT];
    private int originalRuns;

    private final Map<String, String> desiredDigest = new HashMap<>();
    private final Map<String, String> runningDigest = new HashMap<>();
    private final Map<String, DriftStatus> driftStatus = new HashMap<>();
    private int incidents;

    LoadGenerator(LoadProfile profile) {
        this.profile = profile;
        this.random = new SplittableRandom(profile.seed());
        for (EventKind kind : EventKind.values()) {
            recentByKind.put(kind, new ArrayList<>());
            sentByKind.put(kind, 0);
        }
    }

    /** The next record: an event, or a verdict due after the event before it. */
    Generated next() {
        if (!due.isEmpty()) {
            return due.poll();
        }
        step++;
        EventKind kind = profile.mix().pick(random.nextInt(profile.mix().total()));
        List<Generated> recent = recentByKind.get(kind);
        if (!recent.isEmpty() && random.nextDouble() < profile.duplicateFraction()) {
            return recent.get(random.nextInt(recent.size()));
        }
        Instant time = START.plusMillis(step * STEP_MS).minusMillis(lag());
        int n = sentByKind.merge(kind, 1, Integer::sum);
        Generated event = switch (kind) {
            case BUILDS -> build(n, time);
            case RUNS -> run(n, time);
            case TESTS -> test(n, time);
            case DEPLOYMENTS -> deployment(n, time);
            case DESIRED -> desired(n, time);
        };
        if (recent.size() == RECENT_PER_KIND) {
            recent.remove(0);
        }
        recent.add(event);
        return event;
    }

    /** How far behind the stream time the next new event lies: 0 for most. */
    private long lag() {
        double draw = random.nextDouble();
        if (draw < profile.lateFraction()) {
            double low = Math.log(LATE_MIN.toMillis());
            double high = Math.log(LATE_MAX.toMillis());
            return Math.round(Math.exp(low + random.nextDouble() * (high - low)));
        }
        if (draw < profile.lateFraction() + profile.beyondGraceFraction()) {
            return BEYOND_GRACE_MIN.toMillis() + (long) (random.nextDouble() * (BEYOND_GRACE_MAX.toMillis() - BEYOND_GRACE_MIN.toMillis()));
        }
        return 0;
    }

    /** What stays the same for every build of one recipe (shared, so many builds take little memory). */
    private static final class RecipeState {
        final String service;
        final String artifactName;
        final String commit;
        final String recipeDigest;
        final String digest;
        final String recipeKey;
        final Map<String, String> labels;
        final List<Material> materials;
        final RecipeBuilds builds = RecipeBuilds.empty();
        String originalBuildId;
        RebuildVerdict verdict;

        RecipeState(int recipe) {
            int s = recipe % SERVICES.size();
            service = SERVICES.get(s);
            artifactName = "ghcr.io/example/" + service;
            commit = hex(20, 1, recipe);
            recipeDigest = "sha256:" + hex(32, 2, recipe);
            digest = "sha256:" + hex(32, 3, recipe);
            recipeKey = new RecipeKey(artifactName, commit, recipeDigest).toString();
            labels = sorted("team", TEAMS.get(s % TEAMS.size()), "service", service, "repo", "example/" + service);
            materials = List.of(
                    material("git+https://github.com/example/" + service + "@" + commit, hex(32, 4, recipe)),
                    material("pkg:maven/org.apache.kafka/kafka-clients@4.3.1", hex(32, 5, 1)),
                    material("pkg:docker/eclipse-temurin@17-jre", hex(32, 5, 2)));
        }
    }

    private static final Map<String, String> BUILD_ENVIRONMENT = sorted("os", "linux", "arch", "amd64", "java", "17.0.15",
            "TZ", "UTC", "SOURCE_DATE_EPOCH", "1767225600");
    private static final Map<String, String> DRIFTING_ENVIRONMENT = sorted("os", "linux", "arch", "amd64", "java", "17.0.15",
            "TZ", "Europe/Berlin");
    private static final String BUILDER_IMAGE = "sha256:" + hex(32, 6, 1);
    private static final String OTHER_BUILDER_IMAGE = "sha256:" + hex(32, 6, 2);

    private Generated build(int n, Instant time) {
        boolean rebuild = recipesBuilt > 0 && random.nextDouble() < profile.rebuildRatio();
        int recipe = rebuild ? recentRecipes[random.nextInt(Math.min(recipesBuilt, RECENT))] : originalBuilds++ % profile.recipes();
        RecipeState state = recipes.computeIfAbsent(recipe, RecipeState::new);
        boolean differs = rebuild && random.nextDouble() < profile.unreproducibleRatio();
        String id = (rebuild ? "rebuild-" : "gha-") + n;
        BuildEvent build = BuildEvent.newBuilder()
                .setId(id)
                .setSource(rebuild ? "https://rebuilder.example.com" : "https://github.com/example/" + state.service + "/actions")
                .setTime(time)
                .setLabels(state.labels)
                .setTraceId(hex(16, random.nextLong()))
                .setArtifact(Artifact.newBuilder()
                        .setName(state.artifactName)
                        .setDigest(differs ? "sha256:" + hex(32, random.nextLong()) : state.digest)
                        .setUri(state.artifactName + ":" + state.commit.substring(0, 12))
                        .build())
                .setSourceRepo("https://github.com/example/" + state.service)
                .setCommit(state.commit)
                .setRecipeDigest(state.recipeDigest)
                .setBuilder(BuildPlatform.newBuilder()
                        .setId(rebuild ? "https://rebuilder.example.com/worker" : "https://github.com/actions/runner/ubuntu-24.04")
                        .setImageDigest(differs ? OTHER_BUILDER_IMAGE : BUILDER_IMAGE)
                        .build())
                .setMaterials(state.materials)
                .setEnvironment(differs ? DRIFTING_ENVIRONMENT : BUILD_ENVIRONMENT)
                .setRebuildOf(rebuild ? state.originalBuildId : null)
                .setOutcome(BuildOutcome.SUCCESS)
                .setSigned(Boolean.TRUE)
                .build();
        if (!rebuild) {
            if (state.originalBuildId == null) {
                state.originalBuildId = id;
            }
            recentRecipes[recipesBuilt++ % RECENT] = recipe;
            latestDigestOfService[recipe % SERVICES.size()] = state.digest;
        }
        due.add(new Generated(TopicId.REBUILD_VERDICTS, state.recipeKey, verdict(state, build)));
        return new Generated(TopicId.BUILDS, state.recipeKey, build);
    }

    /**
     * The verdict the verifier gives after {@code build}: judged by its own domain logic over the
     * recipe's builds, up to {@value #JUDGED_BUILDS} of them; past that (a recipe built over and
     * over, with few recipes and many records) the last verdict counts the build and moves on, so
     * that generating stays linear.
     */
    private static RebuildVerdict verdict(RecipeState state, BuildEvent build) {
        if (state.verdict == null || state.verdict.getBuilds() < JUDGED_BUILDS) {
            state.builds.add(build);
            state.verdict = RebuildVerification.judge(state.recipeKey, state.builds, false);
        } else {
            Instant asOf = build.getTime().isAfter(state.verdict.getAsOf()) ? build.getTime() : state.verdict.getAsOf();
            state.verdict = RebuildVerdict.newBuilder(state.verdict).setBuilds(state.verdict.getBuilds() + 1).setAsOf(asOf).build();
        }
        return state.verdict;
    }

    private Generated run(int n, Instant time) {
        boolean replay = originalRuns > 0 && random.nextDouble() < profile.replayRatio();
        String runId = "run-" + n;
        RunEvent.Builder event;
        RunEvent original = null;
        if (replay) {
            original = recentOriginals[random.nextInt(Math.min(originalRuns, RECENT))];
            boolean mismatch = random.nextDouble() < profile.replayMismatchRatio();
            event = RunEvent.newBuilder(original).setReplayOf(original.getRunId());
            if (mismatch) {
                double accuracy = original.getMetrics().get("accuracy") - 0.02;
                event.setSeed(String.valueOf(random.nextInt(1_000_000)))
                        .setOutputs(List.of(output("model", hex(32, random.nextLong()))))
                        .setMetrics(sorted(Map.of("accuracy", accuracy, "loss", original.getMetrics().get("loss"))));
            }
        } else {
            int j = n % JOBS.size();
            String job = JOBS.get(j);
            List<RunInput> inputs = new ArrayList<>();
            inputs.add(RunInput.newBuilder().setName("dataset").setDigest("sha256:" + hex(32, 7, n / 10)).build());
            // one run in fifty reads an input it does not hash (data provenance coverage)
            inputs.add(RunInput.newBuilder().setName("features")
                    .setDigest(n % 50 == 0 ? null : "sha256:" + hex(32, 8, n / 10)).build());
            event = RunEvent.newBuilder()
                    .setJob(job)
                    .setCodeDigest("sha256:" + hex(32, 9, j))
                    .setEnvironmentDigest("sha256:" + hex(32, 10, j))
                    .setInputs(inputs)
                    .setParametersDigest("sha256:" + hex(32, 11, j))
                    .setSeed("1234")
                    .setOutputs(List.of(output("model", hex(32, 12, n))))
                    .setMetrics(sorted(Map.of("accuracy", 0.9 + (n % 90) / 1_000.0, "loss", 0.1 + (n % 70) / 1_000.0)))
                    .setTolerance(sorted(Map.of("accuracy", 0.005)))
                    .setCriticality(j % 3 == 0 ? Criticality.PRODUCTION : Criticality.NON_PRODUCTION)
                    .setLabels(sorted("team", TEAMS.get(j % TEAMS.size()), "service", "ml-" + job));
        }
        RunEvent run = event
                .setId("run-event-" + n)
                .setSource("https://ml.example.com/pipelines")
                .setTime(time)
                .setTraceId(n % 100 < 98 ? hex(16, random.nextLong()) : null)
                .setRunId(runId)
                .setReplayOf(replay ? original.getRunId() : null)
                .setStatus(RunStatus.SUCCEEDED)
                .setStartedAt(time.minus(Duration.ofMinutes(5)))
                .setFinishedAt(time)
                .build();
        if (replay) {
            due.add(new Generated(TopicId.REPLAY_VERDICTS, original.getRunId(),
                    ReplayVerification.judge(original.getRunId(), original, run)));
            return new Generated(TopicId.RUNS, original.getRunId(), run);
        }
        recentOriginals[originalRuns++ % RECENT] = run;
        return new Generated(TopicId.RUNS, runId, run);
    }

    private Generated test(int n, Instant time) {
        int recipe = recipesBuilt > 0 ? recentRecipes[random.nextInt(Math.min(recipesBuilt, RECENT))]
                : random.nextInt(profile.recipes());
        RecipeState state = recipes.computeIfAbsent(recipe, RecipeState::new);
        String suite = state.service + "-" + SUITES.get(random.nextInt(SUITES.size()));
        int draw = random.nextInt(100);
        TestOutcome outcome = draw < 93 ? TestOutcome.PASS : draw < 96 ? TestOutcome.FAIL : draw < 98 ? TestOutcome.SKIP
                : TestOutcome.ERROR;
        TestEvent test = TestEvent.newBuilder()
                .setId("test-" + n)
                .setSource("https://ci.example.com/tests")
                .setTime(time)
                .setLabels(state.labels)
                .setTraceId(hex(16, random.nextLong()))
                .setSuite(suite)
                .setCommit(state.commit)
                .setEnvironment(PLATFORMS.get(random.nextInt(PLATFORMS.size())))
                .setOutcome(outcome)
                .build();
        return new Generated(TopicId.TESTS, suite + "@" + state.commit, test);
    }

    private Generated desired(int n, Instant time) {
        int s = random.nextInt(SERVICES.size());
        String service = SERVICES.get(s);
        String environment = ENVIRONMENTS.get(random.nextInt(ENVIRONMENTS.size()));
        String digest = latestDigestOfService[s] != null ? latestDigestOfService[s] : "sha256:" + hex(32, 13, s);
        desiredDigest.put(service + "/" + environment, digest);
        DesiredState desired = DesiredState.newBuilder()
                .setId("gitops-" + n)
                .setSource("https://github.com/example/gitops")
                .setTime(time)
                .setLabels(sorted("team", TEAMS.get(s % TEAMS.size()), "service", service))
                .setTraceId(hex(16, random.nextLong()))
                .setService(service)
                .setEnvironment(environment)
                .setArtifactDigest(digest)
                .setConfigDigest("sha256:" + hex(32, 14, s))
                .setGitCommit(hex(20, random.nextLong()))
                .build();
        return new Generated(TopicId.DESIRED, service + "/" + environment, desired);
    }

    private Generated deployment(int n, Instant time) {
        int s = random.nextInt(SERVICES.size());
        String service = SERVICES.get(s);
        String environment = ENVIRONMENTS.get(random.nextInt(ENVIRONMENTS.size()));
        String cluster = "c" + random.nextInt(environment.equals("prod") ? 3 : 1);
        String target = service + "/" + environment + "/" + cluster;
        String desired = desiredDigest.get(service + "/" + environment);
        String running = runningDigest.get(target);
        DeploymentKind kind = DeploymentKind.DEPLOYED;
        String digest;
        int draw = random.nextInt(100);
        if (desired != null && !desired.equals(running)) {
            digest = desired; // the rollout of what Git declares
        } else if (draw < 4) {
            digest = "sha256:" + hex(32, random.nextLong()); // a hotfix by hand
        } else if (draw < 5) {
            digest = null; // a mutable tag
        } else {
            kind = DeploymentKind.OBSERVED;
            digest = running != null ? running : "sha256:" + hex(32, 13, s);
        }
        runningDigest.put(target, digest);
        String image = "ghcr.io/example/" + service;
        DeploymentEvent deployment = DeploymentEvent.newBuilder()
                .setId("deploy-" + n)
                .setSource("https://argocd.example.com")
                .setTime(time)
                .setLabels(sorted("team", TEAMS.get(s % TEAMS.size()), "service", service))
                .setTraceId(hex(16, random.nextLong()))
                .setService(service)
                .setEnvironment(environment)
                .setCluster(cluster)
                .setArtifactDigest(digest)
                .setImageRef(digest == null ? image + ":latest" : image + "@" + digest)
                .setConfigDigest("sha256:" + hex(32, 14, s))
                .setKind(kind)
                .build();
        driftStatus(target, service, environment, cluster, desired, deployment).ifPresent(due::add);
        return new Generated(TopicId.DEPLOYMENTS, target, deployment);
    }

    /**
     * The drift status a deployment changes, when it changes one: IN_SYNC, DRIFTED (another
     * digest than desired) or UNVERIFIABLE (a mutable tag); none while no desired state is known.
     */
    private Optional<Generated> driftStatus(String target, String service, String environment, String cluster,
                                                      String desired, DeploymentEvent deployment) {
        if (desired == null) {
            return Optional.empty();
        }
        String observed = deployment.getArtifactDigest();
        DriftState state = observed == null ? DriftState.UNVERIFIABLE
                : observed.equals(desired) ? DriftState.IN_SYNC : DriftState.DRIFTED;
        DriftStatus before = driftStatus.get(target);
        if (before != null && before.getStatus() == state) {
            return Optional.empty();
        }
        boolean open = state != DriftState.IN_SYNC;
        boolean closing = !open && before != null && before.getIncidentId() != null;
        DriftStatus status = DriftStatus.newBuilder()
                .setTarget(target)
                .setService(service)
                .setEnvironment(environment)
                .setCluster(cluster)
                .setStatus(state)
                .setReasons(state == DriftState.UNVERIFIABLE ? List.of(DriftReason.MUTABLE_REFERENCE)
                        : state == DriftState.DRIFTED ? List.of(DriftReason.ARTIFACT_MISMATCH) : List.of())
                .setDesiredArtifactDigest(desired)
                .setObservedArtifactDigest(observed)
                .setImageRef(deployment.getImageRef())
                .setSince(open ? deployment.getTime() : null)
                .setIncidentId(open ? (before != null && before.getIncidentId() != null ? before.getIncidentId()
                        : "incident-" + ++incidents) : null)
                .setClosedIncidentId(closing ? before.getIncidentId() : null)
                .setClosedIncidentDurationMs(closing
                        ? Math.max(0, deployment.getTime().toEpochMilli() - before.getSince().toEpochMilli()) : null)
                .setLabels(deployment.getLabels())
                .setObservedEventId(deployment.getId())
                .setAsOf(deployment.getTime())
                .build();
        driftStatus.put(target, status);
        return Optional.of(new Generated(TopicId.DRIFT, target, status));
    }

    private static Material material(String uri, String hex) {
        return Material.newBuilder().setUri(uri).setDigest("sha256:" + hex).build();
    }

    private static RunOutput output(String name, String hex) {
        return RunOutput.newBuilder().setName(name).setDigest("sha256:" + hex).build();
    }

    /** A map that serializes in the same order on every JVM. */
    private static Map<String, String> sorted(String... keysAndValues) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    /** {@code bytes} random bytes in hex, the same for the same {@code kind} and {@code n}. */
    private static String hex(int bytes, int kind, long n) {
        return hex(bytes, kind * 0x9E3779B97F4A7C15L + n);
    }

    private static String hex(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new SplittableRandom(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
