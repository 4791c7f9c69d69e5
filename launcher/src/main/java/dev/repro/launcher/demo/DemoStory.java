package dev.repro.launcher.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sample stream {@code repro up --demo} feeds through ingest, as native JSON events
 * (CONTRACT section 4), in the order a CI/CD estate would send them:
 * <ul>
 *   <li>builds and independent rebuilds of three services: {@code checkout} and {@code payments}
 *       rebuild to the same digest, {@code search} does not (its rebuild ran in another time zone
 *       without {@code SOURCE_DATE_EPOCH}: the suspects say so);</li>
 *   <li>desired states and deployments across two clusters: {@code checkout} in prod drifts when
 *       a hotfix lands on {@code us-1} only (declared at the end of its convergence grace), and
 *       returns to sync when {@code us-1} is seen running the declared digest again;</li>
 *   <li>runs and replays: a production forecast whose replay used another seed and produced
 *       other outputs (MISMATCH, a paging alert), a ranker replay that matches, and one whose
 *       metric moved within its tolerance;</li>
 *   <li>test suites in staging and prod, one of them flaky across environments.</li>
 * </ul>
 * Every id, commit and digest is derived from {@code start}, so each demo run adds new recipes,
 * runs and incidents instead of repeating the last run's (which ingest would answer as duplicates).
 */
public final class DemoStory {

    /** One event and what it shows. */
    public record Step(String caption, String type, String json) {
    }

    static final String SOURCE = "https://ci.demo.repro.dev";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Instant start;
    private final String run;

    /** A story whose first event is at {@code start} (whole minutes) and whose last is 65 min later. */
    public DemoStory(Instant start) {
        this.start = start.truncatedTo(ChronoUnit.MINUTES);
        this.run = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(java.time.ZoneOffset.UTC).format(this.start);
    }

    /** Starts the story 70 minutes before {@code now}, so every event lies in the past. */
    public static DemoStory endingBefore(Instant now) {
        return new DemoStory(now.minus(Duration.ofMinutes(70)));
    }

    public Instant start() {
        return start;
    }

    public List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        builds(steps);
        deployments(steps);
        runs(steps);
        tests(steps);
        // the last event moves event time past the drift detector's and the verifier's waits
        steps.add(new Step("checkout/prod/eu-1: periodic observation, still in sync", "deployment",
                deployment("checkout-eu-1-observed-late", "checkout", "prod", "eu-1", "ci", 65, "observed").toString()));
        return steps;
    }

    // ---- the story's facts, which the end-to-end test asserts -------------------------------

    public String artifact(String service) {
        return "ghcr.io/demo/" + service;
    }

    public String commit(String service) {
        return hex("commit/" + service, 40);
    }

    public String recipeDigest(String service) {
        return "sha256:" + hex("recipe/" + service, 64);
    }

    /** Recipe key of a service's build: {@code artifact@commit#recipe_digest}. */
    public String recipeKey(String service) {
        return artifact(service) + "@" + commit(service) + "#" + recipeDigest(service);
    }

    public String artifactDigest(String service, String variant) {
        return "sha256:" + hex("artifact/" + service + "/" + variant, 64);
    }

    public String runId(String job) {
        return "demo-" + run + "-" + job;
    }

    public String codeDigest(String job) {
        return "sha256:" + hex("code/" + job, 64);
    }

    /** Native id of the event named {@code name} in this story. */
    public String id(String name) {
        return "demo-" + run + "-" + name;
    }

    private void builds(List<Step> steps) {
        steps.add(new Step("checkout: CI build", "build", build("checkout-build", "checkout", "ci", 0, "ci", null, false).toString()));
        steps.add(new Step("checkout: independent rebuild, same digest", "build",
                build("checkout-rebuild", "checkout", "ci", 2, "rebuilder", "checkout-build", false).toString()));
        steps.add(new Step("payments: CI build", "build", build("payments-build", "payments", "ci", 3, "ci", null, false).toString()));
        steps.add(new Step("payments: independent rebuild, same digest", "build",
                build("payments-rebuild", "payments", "ci", 5, "rebuilder", "payments-build", false).toString()));
        steps.add(new Step("search: CI build", "build", build("search-build", "search", "ci", 6, "ci", null, false).toString()));
        steps.add(new Step("search: rebuild in Europe/Paris without SOURCE_DATE_EPOCH → another digest", "build",
                build("search-rebuild", "search", "rebuilt", 8, "rebuilder", "search-build", true).toString()));
    }

    private ObjectNode build(String name, String service, String variant, int minute, String builder, String rebuildOf,
                             boolean sloppy) {
        ObjectNode event = common("build", name, minute, service);
        ObjectNode artifact = event.putObject("artifact");
        artifact.put("name", artifact(service));
        artifact.put("digest", artifactDigest(service, variant));
        event.put("source_repo", "https://github.com/demo/" + service);
        event.put("commit", commit(service));
        event.put("recipe_digest", recipeDigest(service));
        ObjectNode b = event.putObject("builder");
        b.put("id", "https://" + builder + ".demo.repro.dev/runner");
        b.put("image_digest", "sha256:" + hex("builder-image/" + builder, 64));
        ArrayNode materials = event.putArray("materials");
        ObjectNode lockfile = materials.addObject();
        lockfile.put("uri", "git+https://github.com/demo/" + service + "@" + commit(service) + "#package-lock.json");
        lockfile.put("digest", "sha256:" + hex("lockfile/" + service, 64));
        ObjectNode environment = event.putObject("environment");
        environment.put("os", "linux");
        environment.put("arch", "amd64");
        environment.put("TZ", sloppy ? "Europe/Paris" : "UTC");
        if (!sloppy) {
            environment.put("SOURCE_DATE_EPOCH", String.valueOf(start.getEpochSecond()));
        }
        if (rebuildOf != null) {
            event.put("rebuild_of", id(rebuildOf));
        }
        event.put("outcome", "success");
        return event;
    }

    private void deployments(List<Step> steps) {
        steps.add(new Step("checkout/prod: Git declares the rebuilt-and-verified digest for every cluster", "desired",
                desired("checkout-prod-desired", "checkout", "prod", 10).toString()));
        steps.add(new Step("checkout/prod/eu-1: deployed as declared", "deployment",
                deployment("checkout-eu-1-deploy", "checkout", "prod", "eu-1", "ci", 12, "deployed").toString()));
        steps.add(new Step("checkout/prod/us-1: deployed as declared", "deployment",
                deployment("checkout-us-1-deploy", "checkout", "prod", "us-1", "ci", 13, "deployed").toString()));
        steps.add(new Step("payments/staging: declared and deployed", "desired",
                desired("payments-staging-desired", "payments", "staging", 14).toString()));
        steps.add(new Step("payments/staging/eu-1: deployed as declared", "deployment",
                deployment("payments-eu-1-deploy", "payments", "staging", "eu-1", "ci", 15, "deployed").toString()));
        steps.add(new Step("checkout/prod/us-1: manual hotfix with another digest → drift once its 10-min grace ends", "deployment",
                deployment("checkout-us-1-hotfix", "checkout", "prod", "us-1", "hotfix", 30, "deployed").toString()));
        steps.add(new Step("checkout/prod/eu-1: still running the declared digest", "deployment",
                deployment("checkout-eu-1-observed", "checkout", "prod", "eu-1", "ci", 45, "observed").toString()));
        steps.add(new Step("checkout/prod/us-1: rolled back, observed running the declared digest → in sync", "deployment",
                deployment("checkout-us-1-observed", "checkout", "prod", "us-1", "ci", 55, "observed").toString()));
    }

    private ObjectNode desired(String name, String service, String environment, int minute) {
        ObjectNode event = common("desired", name, minute, service);
        event.put("service", service);
        event.put("environment", environment);
        event.put("artifact_digest", artifactDigest(service, "ci"));
        event.put("config_digest", "sha256:" + hex("config/" + service, 64));
        event.put("git_commit", hex("gitops/" + service, 40));
        return event;
    }

    private ObjectNode deployment(String name, String service, String environment, String cluster, String variant, int minute,
                                  String kind) {
        ObjectNode event = common("deployment", name, minute, service);
        event.put("service", service);
        event.put("environment", environment);
        event.put("cluster", cluster);
        event.put("artifact_digest", artifactDigest(service, variant));
        event.put("image_ref", artifact(service) + "@" + artifactDigest(service, variant));
        event.put("config_digest", "sha256:" + hex("config/" + service, 64));
        event.put("kind", kind);
        return event;
    }

    private void runs(List<Step> steps) {
        steps.add(new Step("forecast: production training run", "run",
                run("forecast-original", "forecast", null, 20, "42", "outputs-a", 0.912, "production").toString()));
        steps.add(new Step("forecast: replay with another seed, other outputs → MISMATCH, pages", "run",
                run("forecast-replay", "forecast", runId("forecast"), 40, "7", "outputs-b", 0.874, "production").toString()));
        steps.add(new Step("ranker: training run", "run",
                run("ranker-original", "ranker", null, 21, "1", "outputs-a", 0.801, "non-production").toString()));
        steps.add(new Step("ranker: replay, same outputs → MATCH", "run",
                run("ranker-replay", "ranker", runId("ranker"), 41, "1", "outputs-a", 0.801, "non-production").toString()));
        steps.add(new Step("churn: training run", "run",
                run("churn-original", "churn", null, 22, "3", "outputs-a", 0.700, "non-production").toString()));
        steps.add(new Step("churn: replay, outputs differ, metric within tolerance → MATCH_WITHIN_TOLERANCE", "run",
                run("churn-replay", "churn", runId("churn"), 42, "3", "outputs-b", 0.703, "non-production").toString()));
    }

    private ObjectNode run(String name, String job, String replayOf, int minute, String seed, String outputs, double metric,
                           String criticality) {
        ObjectNode event = common("run", name, minute, job);
        event.put("trace_id", hex("trace/" + name, 32));
        event.put("run_id", replayOf == null ? runId(job) : runId(job) + "-replay");
        if (replayOf != null) {
            event.put("replay_of", replayOf);
        }
        event.put("job", job);
        event.put("code_digest", codeDigest(job));
        event.put("environment_digest", "sha256:" + hex("image/" + job, 64));
        ArrayNode inputs = event.putArray("inputs");
        ObjectNode dataset = inputs.addObject();
        dataset.put("name", "s3://demo-data/" + job + "/train.parquet");
        dataset.put("digest", "sha256:" + hex("dataset/" + job, 64));
        event.put("parameters_digest", "sha256:" + hex("params/" + job, 64));
        event.put("seed", seed);
        ArrayNode out = event.putArray("outputs");
        ObjectNode model = out.addObject();
        model.put("name", "model.onnx");
        model.put("digest", "sha256:" + hex("model/" + job + "/" + outputs, 64));
        event.putObject("metrics").put("auc", metric);
        event.putObject("tolerance").put("auc", 0.01);
        event.put("status", "succeeded");
        event.put("criticality", criticality);
        event.put("started_at", time(minute - 5));
        event.put("finished_at", time(minute));
        return event;
    }

    private void tests(List<Step> steps) {
        steps.add(new Step("checkout-e2e in staging: pass", "test", test("checkout-e2e-staging", "checkout", "staging", 16, "pass").toString()));
        steps.add(new Step("checkout-e2e in prod: pass (same outcome everywhere)", "test",
                test("checkout-e2e-prod", "checkout", "prod", 17, "pass").toString()));
        steps.add(new Step("search-it in staging: pass", "test", test("search-it-staging", "search", "staging", 18, "pass").toString()));
        steps.add(new Step("search-it in prod: fail (not reproducible across environments)", "test",
                test("search-it-prod", "search", "prod", 19, "fail").toString()));
    }

    private ObjectNode test(String name, String service, String environment, int minute, String outcome) {
        ObjectNode event = common("test", name, minute, service);
        event.put("suite", service + (service.equals("search") ? "-it" : "-e2e"));
        event.put("commit", commit(service));
        event.put("environment", environment);
        event.put("outcome", outcome);
        return event;
    }

    private ObjectNode common(String type, String name, int minute, String service) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("id", id(name));
        event.put("source", SOURCE + "/" + service);
        event.put("time", time(minute));
        ObjectNode labels = event.putObject("labels");
        labels.put("team", switch (service) {
            case "checkout", "payments" -> "shop";
            case "search" -> "discovery";
            default -> "ml";
        });
        labels.put("service", service);
        labels.put("repo", "github.com/demo/" + service);
        return event;
    }

    private String time(int minute) {
        return start.plus(Duration.ofMinutes(minute)).toString();
    }

    /** {@code length} hex characters derived from this run and {@code what}. */
    private String hex(String what, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            String hex = HexFormat.of().formatHex(sha.digest((run + "/" + what).getBytes(StandardCharsets.UTF_8)));
            return hex.substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is not available in this JDK", e);
        }
    }
}
