package dev.repro.launcher;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code repro emit build|deploy|desired|run|test …}: one event to ingest from a CI script. The
 * flags are the contract's JSON fields; ingest validates. Exit code 0 when ingest accepted it (or
 * already had it), 1 when it refused it, 2 when it could not be reached or Kafka was unavailable.
 */
@Command(name = "emit", description = {
        "Posts one event to ingest (REPRO_INGEST_URL, default http://127.0.0.1:8080).",
        "Exit code: 0 accepted or duplicate, 1 refused (the reason is printed), 2 ingest or Kafka unavailable."},
        subcommands = {EmitCommand.Build.class, EmitCommand.Deploy.class, EmitCommand.Desired.class,
                EmitCommand.Run.class, EmitCommand.Test.class, EmitCommand.File.class})
final class EmitCommand {

    static final int REFUSED = 1;
    static final int UNAVAILABLE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fields every event has, and where to send it. */
    static final class Common {
        @Option(names = "--id", description = "idempotency key, unique per source (default: a random UUID; "
                + "pass a stable one, e.g. $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT, so that a retried step is not counted twice)")
        String id;

        @Option(names = "--source", description = "URI of the emitter (default: $REPRO_SOURCE, else cli://<host>)")
        String source;

        @Option(names = "--time", description = "event time, RFC 3339 (default: now)")
        String time;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "a label (team, service, repo…); repeatable")
        Map<String, String> labels = new LinkedHashMap<>();

        @Option(names = "--trace-id", description = "trace id to correlate with")
        String traceId;

        @Option(names = "--url", description = "ingest base URL (default: $REPRO_INGEST_URL, else http://127.0.0.1:8080)")
        String url;

        @Option(names = "--print", description = "print the JSON that would be sent, and send nothing")
        boolean print;

        ObjectNode event(String type) {
            ObjectNode e = JSON.createObjectNode();
            e.put("type", type);
            e.put("id", id != null ? id : UUID.randomUUID().toString());
            e.put("source", source != null ? source : defaultSource());
            e.put("time", time != null ? time : Instant.now().toString());
            if (!labels.isEmpty()) {
                ObjectNode l = e.putObject("labels");
                labels.forEach(l::put);
            }
            putIf(e, "trace_id", traceId);
            return e;
        }

        private static String defaultSource() {
            String env = System.getenv("REPRO_SOURCE");
            if (env != null && !env.isBlank()) {
                return env;
            }
            String host = System.getenv("HOSTNAME");
            try {
                host = host != null ? host : java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            return "cli://" + host;
        }
    }

    abstract static class EventCommand implements Callable<Integer> {
        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        abstract ObjectNode event();

        @Override
        public Integer call() throws Exception {
            ObjectNode event = event();
            if (common.print) {
                spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event));
                return 0;
            }
            return post(spec, common.url, "/v1/events", "application/json", JSON.writeValueAsBytes(event));
        }
    }

    @Command(name = "build", description = "a build or an independent rebuild of an artifact")
    static final class Build extends EventCommand {
        @Option(names = "--artifact-name", required = true) String artifactName;
        @Option(names = "--artifact-digest", required = true, description = "sha256:<64 hex> or sha512:<128 hex>") String artifactDigest;
        @Option(names = "--artifact-uri") String artifactUri;
        @Option(names = "--source-repo", required = true) String sourceRepo;
        @Option(names = "--commit", required = true, description = "git commit, 40 or 64 hex") String commit;
        @Option(names = "--recipe-digest", description = "digest of the declared build inputs") String recipeDigest;
        @Option(names = "--builder-id", required = true) String builderId;
        @Option(names = "--builder-image-digest") String builderImageDigest;
        @Option(names = "--material", paramLabel = "URI=DIGEST", description = "a build input; repeatable") Map<String, String> materials = new LinkedHashMap<>();
        @Option(names = "--env", paramLabel = "KEY=VALUE", description = "build environment entry (TZ, SOURCE_DATE_EPOCH, toolchain…); repeatable") Map<String, String> environment = new LinkedHashMap<>();
        @Option(names = "--rebuild-of", description = "id of the build this independently rebuilds") String rebuildOf;
        @Option(names = "--outcome", description = "success (default), failure or error") String outcome;
        @Option(names = "--signed", description = "the artifact is signed") Boolean signed;

        @Override
        ObjectNode event() {
            ObjectNode e = common.event("build");
            ObjectNode artifact = e.putObject("artifact");
            artifact.put("name", artifactName);
            artifact.put("digest", artifactDigest);
            putIf(artifact, "uri", artifactUri);
            e.put("source_repo", sourceRepo);
            e.put("commit", commit);
            putIf(e, "recipe_digest", recipeDigest);
            ObjectNode builder = e.putObject("builder");
            builder.put("id", builderId);
            putIf(builder, "image_digest", builderImageDigest);
            if (!materials.isEmpty()) {
                ArrayNode m = e.putArray("materials");
                materials.forEach((uri, digest) -> m.addObject().put("uri", uri).put("digest", digest));
            }
            putMap(e, "environment", environment);
            putIf(e, "rebuild_of", rebuildOf);
            putIf(e, "outcome", outcome);
            if (signed != null) {
                e.put("signed", signed);
            }
            return e;
        }
    }

    @Command(name = "deploy", description = "what was deployed, or (--kind observed) what is observed running")
    static final class Deploy extends EventCommand {
        @Option(names = "--service", required = true) String service;
        @Option(names = "--environment", required = true) String environment;
        @Option(names = "--cluster") String cluster;
        @Option(names = "--artifact-digest") String artifactDigest;
        @Option(names = "--image-ref", required = true, description = "as deployed: reg/app@sha256:… or reg/app:tag") String imageRef;
        @Option(names = "--config-digest") String configDigest;
        @Option(names = "--kind", description = "deployed (default) or observed") String kind = "deployed";

        @Override
        ObjectNode event() {
            ObjectNode e = common.event("deployment");
            e.put("service", service);
            e.put("environment", environment);
            putIf(e, "cluster", cluster);
            putIf(e, "artifact_digest", artifactDigest);
            e.put("image_ref", imageRef);
            putIf(e, "config_digest", configDigest);
            e.put("kind", kind);
            return e;
        }
    }

    @Command(name = "desired", description = "the state Git declares for a service in an environment")
    static final class Desired extends EventCommand {
        @Option(names = "--service", required = true) String service;
        @Option(names = "--environment", required = true) String environment;
        @Option(names = "--cluster", description = "absent: every cluster of the environment") String cluster;
        @Option(names = "--artifact-digest", required = true) String artifactDigest;
        @Option(names = "--config-digest") String configDigest;
        @Option(names = "--git-commit", required = true) String gitCommit;

        @Override
        ObjectNode event() {
            ObjectNode e = common.event("desired");
            e.put("service", service);
            e.put("environment", environment);
            putIf(e, "cluster", cluster);
            e.put("artifact_digest", artifactDigest);
            putIf(e, "config_digest", configDigest);
            e.put("git_commit", gitCommit);
            return e;
        }
    }

    @Command(name = "run", description = "a pipeline or training run, or (--replay-of) a replay of one")
    static final class Run extends EventCommand {
        @Option(names = "--run-id", required = true) String runId;
        @Option(names = "--replay-of", description = "run id of the original") String replayOf;
        @Option(names = "--job", required = true) String job;
        @Option(names = "--code-digest", required = true) String codeDigest;
        @Option(names = "--environment-digest", description = "digest of the environment image") String environmentDigest;
        @Option(names = "--input", paramLabel = "NAME[=DIGEST]", description = "an input; repeatable") List<String> inputs = new ArrayList<>();
        @Option(names = "--parameters-digest") String parametersDigest;
        @Option(names = "--seed") String seed;
        @Option(names = "--output", paramLabel = "NAME=DIGEST", description = "an output; repeatable") Map<String, String> outputs = new LinkedHashMap<>();
        @Option(names = "--metric", paramLabel = "NAME=NUMBER", description = "a metric; repeatable") Map<String, Double> metrics = new LinkedHashMap<>();
        @Option(names = "--tolerance", paramLabel = "METRIC=DELTA", description = "allowed absolute delta of a metric; repeatable") Map<String, Double> tolerance = new LinkedHashMap<>();
        @Option(names = "--status", description = "succeeded (default) or failed") String status = "succeeded";
        @Option(names = "--criticality", description = "production or non-production (default)") String criticality = "non-production";
        @Option(names = "--started-at", required = true, description = "RFC 3339") String startedAt;
        @Option(names = "--finished-at", required = true, description = "RFC 3339") String finishedAt;

        @Override
        ObjectNode event() {
            ObjectNode e = common.event("run");
            e.put("run_id", runId);
            putIf(e, "replay_of", replayOf);
            e.put("job", job);
            e.put("code_digest", codeDigest);
            putIf(e, "environment_digest", environmentDigest);
            ArrayNode in = e.putArray("inputs");
            for (String input : inputs) {
                int eq = input.indexOf('=');
                ObjectNode i = in.addObject().put("name", eq < 0 ? input : input.substring(0, eq));
                if (eq >= 0) {
                    i.put("digest", input.substring(eq + 1));
                }
            }
            putIf(e, "parameters_digest", parametersDigest);
            putIf(e, "seed", seed);
            ArrayNode out = e.putArray("outputs");
            outputs.forEach((name, digest) -> out.addObject().put("name", name).put("digest", digest));
            if (!metrics.isEmpty()) {
                ObjectNode m = e.putObject("metrics");
                metrics.forEach(m::put);
            }
            if (!tolerance.isEmpty()) {
                ObjectNode t = e.putObject("tolerance");
                tolerance.forEach(t::put);
            }
            e.put("status", status);
            e.put("criticality", criticality);
            e.put("started_at", startedAt);
            e.put("finished_at", finishedAt);
            return e;
        }
    }

    @Command(name = "test", description = "a test suite's outcome for a commit in an environment")
    static final class Test extends EventCommand {
        @Option(names = "--suite", required = true) String suite;
        @Option(names = "--commit", required = true) String commit;
        @Option(names = "--environment", required = true) String environment;
        @Option(names = "--outcome", required = true, description = "pass, fail, error or skip") String outcome;

        @Override
        ObjectNode event() {
            ObjectNode e = common.event("test");
            e.put("suite", suite);
            e.put("commit", commit);
            e.put("environment", environment);
            e.put("outcome", outcome);
            return e;
        }
    }

    @Command(name = "file", description = "posts a JSON file as is: an event, a CloudEvent, or (--attestation) an attestation")
    static final class File implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "FILE", description = "the file, or - for standard input") String file;
        @Option(names = "--attestation", description = "post to /v1/attestations") boolean attestation;
        @Option(names = "--content-type", description = "default: application/json, or application/x-ndjson for .ndjson/.jsonl files") String contentType;
        @Option(names = "--url", description = "ingest base URL") String url;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            byte[] body;
            try {
                body = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new LauncherException("cannot read " + file + ": " + e.getMessage());
            }
            String type = contentType != null ? contentType
                    : file.endsWith(".ndjson") || file.endsWith(".jsonl") ? "application/x-ndjson" : "application/json";
            return post(spec, url, attestation ? "/v1/attestations" : "/v1/events", type, body);
        }
    }

    private static int post(CommandSpec spec, String url, String path, String contentType, byte[] body) throws InterruptedException {
        IngestClient client = IngestClient.fromEnvironment(url);
        HttpResponse<String> response;
        try {
            response = client.post(path, contentType, body);
        } catch (ConnectException | HttpTimeoutException e) {
            spec.commandLine().getErr().println("repro: ingest is not reachable at " + client.baseUrl()
                    + " (is `./repro up` running? set REPRO_INGEST_URL)");
            return UNAVAILABLE;
        } catch (IOException e) {
            spec.commandLine().getErr().println("repro: posting to " + client.baseUrl() + " failed: " + e.getMessage());
            return UNAVAILABLE;
        }
        int status = response.statusCode();
        if (status == 207) {
            return batchResult(spec, response.body());
        }
        if (status / 100 == 2) {
            spec.commandLine().getOut().println(response.body());
            return 0;
        }
        spec.commandLine().getErr().println("repro: " + (status == 503 ? "not stored" : "refused") + " (" + status + "): "
                + detail(response.body()));
        return status == 503 ? UNAVAILABLE : REFUSED;
    }

    private static int batchResult(CommandSpec spec, String body) {
        spec.commandLine().getOut().println(body);
        try {
            int worst = 0;
            for (JsonNode line : JSON.readTree(body)) {
                int status = line.path("status").asInt();
                if (status / 100 != 2) {
                    spec.commandLine().getErr().println("repro: line " + line.path("line").asInt() + " (" + status + "): "
                            + line.path("problem").path("detail").asText());
                    worst = Math.max(worst, status == 503 ? UNAVAILABLE : REFUSED);
                }
            }
            return worst;
        } catch (IOException e) {
            return REFUSED;
        }
    }

    private static String detail(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            return problem.path("detail").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void putMap(ObjectNode node, String field, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode m = node.putObject(field);
            values.forEach(m::put);
        }
    }
}
