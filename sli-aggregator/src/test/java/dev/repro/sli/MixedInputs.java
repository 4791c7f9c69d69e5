package dev.repro.sli;

import static dev.repro.sli.Fixtures.aBuild;
import static dev.repro.sli.Fixtures.aDrift;
import static dev.repro.sli.Fixtures.aRebuildVerdict;
import static dev.repro.sli.Fixtures.aReplayVerdict;
import static dev.repro.sli.Fixtures.aRun;
import static dev.repro.sli.Fixtures.aTest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.TestEvent;
import dev.repro.schema.TestOutcome;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.ArtifactPartitioner;
import dev.repro.topics.EnvironmentPartitioner;
import dev.repro.topics.RecipeKey;
import dev.repro.topics.TopicId;

/**
 * A few thousand records of every input of the aggregator over 40 hours of event time, as they
 * reach its topics: builds and runs with provenance gaps (and one bad hour each, so SLO_BURN alerts
 * fire and resolve), test suites in two environments, rebuild verdicts that turn UNREPRODUCIBLE and
 * back, replay verdicts of every status, drift incidents that open and close. Each record arrives up
 * to two minutes late, every 17th again five minutes later (a duplicate), every 60th three hours
 * late (within the grace), one three days late (beyond it), and a poison record every 500. Each record
 * has its own event time to the millisecond: records of different topics merged by event time then
 * have one order only. Keys and partitions are those the producers of each topic use.
 */
final class MixedInputs {

    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
    private static final List<String> SERVICES = List.of("payments", "search", "ledger");

    /** One record to produce: its topic, key, partition (or null: by key), value bytes and event time. */
    record Input(TopicId topic, String key, Integer partition, byte[] value, long time) {
    }

    private final AvroSerdes serdes;
    private final int partitions;
    private final SplittableRandom random = new SplittableRandom(20260301L);
    private final Set<Long> usedTimes = new HashSet<>();
    private final List<Input> events = new ArrayList<>();

    private MixedInputs(AvroSerdes serdes, int partitions) {
        this.serdes = serdes;
        this.partitions = partitions;
    }

    /** The records, in the order they are produced, for topics of {@code partitions} partitions. */
    static List<Input> of(AvroSerdes serdes, int partitions) {
        return new MixedInputs(serdes, partitions).generate();
    }

    private List<Input> generate() {
        for (int hour = 0; hour < 40; hour++) {
            for (int i = 0; i < 15; i++) {
                build(hour, i);
                run(hour, i);
            }
            for (int i = 0; i < 4; i++) {
                tests(hour, i);
            }
            for (int i = 0; i < 6; i++) {
                rebuildVerdict(hour, i);
                replayVerdict(hour, i);
            }
            drift(hour);
        }
        List<Input> arrivals = arrivalOrder(events);
        BuildEvent tooLate = aBuild("too-late", BASE.minus(Duration.ofDays(3))).setLabels(Map.of()).build();
        arrivals.add(buildInput(tooLate));
        return arrivals;
    }

    private void build(int hour, int i) {
        boolean badHour = hour == 10;
        BuildEvent.Builder build = aBuild("b-" + hour + "-" + i, at(hour, 60.0 * i / 15)).setLabels(labels(i))
                .setCommit(String.format("%040x", hour * 100 + i));
        if (random.nextInt(100) < (badHour ? 60 : 4)) {
            build.setRecipeDigest(null);
        }
        events.add(buildInput(build.build()));
    }

    private Input buildInput(BuildEvent build) {
        String key = RecipeKey.of(build).toString();
        return new Input(TopicId.BUILDS, key, ArtifactPartitioner.partition(key, partitions), serdes.serialize(build),
                build.getTime().toEpochMilli());
    }

    private void run(int hour, int i) {
        boolean badHour = hour == 25;
        RunEvent.Builder run = aRun("r-" + hour + "-" + i, at(hour, 60.0 * i / 15 + 1)).setLabels(labels(i));
        if (random.nextInt(100) < (badHour ? 50 : 4)) {
            run.setTraceId(null);
        }
        if (random.nextInt(50) == 0) {
            run.setEnvironmentDigest(null);
        }
        RunEvent event = run.build();
        events.add(new Input(TopicId.RUNS, event.getRunId(), null, serdes.serialize(event), event.getTime().toEpochMilli()));
    }

    /** A suite at a commit run on linux and mac, sometimes with different outcomes. */
    private void tests(int hour, int i) {
        String suite = "suite-" + i;
        String commit = String.format("%040x", 1_000_000 + hour * 10 + i);
        TestOutcome linux = random.nextInt(10) == 0 ? TestOutcome.FAIL : TestOutcome.PASS;
        TestOutcome mac = random.nextInt(8) == 0 ? TestOutcome.FAIL : linux;
        for (String environment : List.of("linux", "mac")) {
            TestEvent test = aTest("t-" + hour + "-" + i + "-" + environment, suite, environment,
                    environment.equals("linux") ? linux : mac, at(hour, 10 * i + (environment.equals("linux") ? 2 : 7)))
                    .setCommit(commit).setLabels(labels(i)).build();
            events.add(new Input(TopicId.TESTS, suite + "@" + commit, null, serdes.serialize(test), test.getTime().toEpochMilli()));
        }
    }

    /** Verdicts of 30 artifacts: mostly reproducible, a few turning unreproducible (some a regression) and back. */
    private void rebuildVerdict(int hour, int i) {
        String artifact = "app-" + random.nextInt(30);
        String commit = String.format("%040x", 2_000_000 + hour * 10 + i);
        boolean unreproducible = random.nextInt(8) == 0;
        RebuildVerdict verdict = aRebuildVerdict(artifact, commit, unreproducible ? RebuildStatus.UNREPRODUCIBLE
                : RebuildStatus.REPRODUCIBLE, at(hour, 10 * i + 4), unreproducible ? new int[] {1, 2} : new int[] {3})
                .setRegression(unreproducible && random.nextBoolean()).setLabels(labels(i)).build();
        String key = verdict.getRecipeKey();
        events.add(new Input(TopicId.REBUILD_VERDICTS, key, ArtifactPartitioner.partition(key, partitions), serdes.serialize(verdict),
                verdict.getAsOf().toEpochMilli()));
    }

    /** Verdicts of replays of 8 jobs' code: mostly matches, and mismatches, failures and missing originals. */
    private void replayVerdict(int hour, int i) {
        String run = "run-" + hour + "-" + i;
        int roll = random.nextInt(20);
        ReplayStatus status = roll < 14 ? ReplayStatus.MATCH : roll < 16 ? ReplayStatus.MATCH_WITHIN_TOLERANCE
                : roll < 18 ? ReplayStatus.MISMATCH : roll < 19 ? ReplayStatus.REPLAY_FAILED : ReplayStatus.ORIGINAL_MISSING;
        ReplayVerdict.Builder verdict = aReplayVerdict(run, status, at(hour, 10 * i + 6))
                .setCodeDigest("sha256:code-" + random.nextInt(8)).setLabels(labels(i))
                .setTimeToVerifyMs(60_000L + random.nextInt(600_000));
        if (status == ReplayStatus.MATCH_WITHIN_TOLERANCE || status == ReplayStatus.MISMATCH) {
            verdict.setMetricDeltas(Map.of("accuracy", random.nextInt(100) / 1000.0));
        }
        ReplayVerdict built = verdict.build();
        events.add(new Input(TopicId.REPLAY_VERDICTS, run, null, serdes.serialize(built), built.getAsOf().toEpochMilli()));
    }

    /** Every hour a target of one service drifts, and is back in sync 20 to 80 minutes later. */
    private void drift(int hour) {
        String service = SERVICES.get(hour % SERVICES.size());
        String environment = hour % 2 == 0 ? "prod" : "staging";
        String incident = "incident-" + hour;
        Instant since = at(hour, 13);
        DriftStatus drifted = aDrift(service, environment, DriftState.DRIFTED, incident, since, since).setLabels(labels(hour))
                .build();
        Instant back = at(hour, 33 + random.nextInt(60));
        DriftStatus inSync = aDrift(service, environment, DriftState.IN_SYNC, null, back, back).setReasons(List.of())
                .setClosedIncidentId(incident).setClosedIncidentDurationMs(back.toEpochMilli() - since.toEpochMilli())
                .setLabels(labels(hour)).build();
        for (DriftStatus status : List.of(drifted, inSync)) {
            String key = status.getTarget();
            events.add(new Input(TopicId.DRIFT, key, EnvironmentPartitioner.partition(key, partitions), serdes.serialize(status),
                    status.getAsOf().toEpochMilli()));
        }
    }

    /** A service label (so a service scope besides the global one) on every third record: fewer SLI values to compare. */
    private static Map<String, String> labels(int i) {
        return i % 3 == 0 ? Map.of("service", SERVICES.get(i / 3 % SERVICES.size())) : Map.of();
    }

    /** {@code hour} plus {@code minutes} after the base, moved on by a millisecond until no other record has it. */
    private Instant at(int hour, double minutes) {
        long time = BASE.plus(Duration.ofHours(hour)).toEpochMilli() + Math.round(minutes * 60_000);
        while (!usedTimes.add(time)) {
            time++;
        }
        return Instant.ofEpochMilli(time);
    }

    private List<Input> arrivalOrder(List<Input> records) {
        record Arrival(Input input, long at) {
        }
        List<Input> byTime = new ArrayList<>(records);
        byTime.sort(Comparator.comparingLong(Input::time));
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < byTime.size(); i++) {
            Input input = byTime.get(i);
            long at = input.time() + random.nextLong(120_000);
            arrivals.add(new Arrival(input, i % 60 == 59 ? at + Duration.ofHours(3).toMillis() : at));
            if (i % 17 == 0) {
                arrivals.add(new Arrival(input, at + 300_000));
            }
            if (i % 500 == 0) {
                byte[] poison = ("poison " + i).getBytes(StandardCharsets.UTF_8);
                arrivals.add(new Arrival(new Input(input.topic(), input.key(), input.partition(), poison, input.time()), at));
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        return new ArrayList<>(arrivals.stream().map(Arrival::input).toList());
    }
}
