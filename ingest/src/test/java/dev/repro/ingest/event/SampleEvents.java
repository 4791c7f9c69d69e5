package dev.repro.ingest.event;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Small valid events of every kind the decoder accepts, written for this project (no fixture
 * needed), and helpers to derive variants from them. Public so the HTTP-level tests can post them.
 */
public final class SampleEvents {

    public static final String SHA_A = "sha256:" + "a".repeat(64);
    public static final String SHA_B = "sha256:" + "b".repeat(64);
    public static final String SHA_C = "sha256:" + "c".repeat(64);
    public static final String SHA512_D = "sha512:" + "d".repeat(128);
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    public static final String BUILD = """
            {"type":"build","id":"gh-run-42-1","source":"https://github.com/acme/shop/actions","time":"2024-05-01T12:00:00.123456Z",
             "labels":{"team":"payments","repo":"acme/shop"},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",
             "artifact":{"name":"shop-api","digest":"%s","uri":"ghcr.io/acme/shop-api@%s"},
             "source_repo":"https://github.com/acme/shop","commit":"%s","recipe_digest":"%s",
             "builder":{"id":"https://github.com/actions/runner","image_digest":"%s"},
             "materials":[{"uri":"pkg:maven/org.slf4j/slf4j-api@2.0.17","digest":"%s"}],
             "environment":{"os":"linux","arch":"amd64","SOURCE_DATE_EPOCH":"1714564800"},
             "rebuild_of":"gh-run-41-1","outcome":"failure","signed":true,"unknown_field":{"ignored":[1,2,3]}}
            """.formatted(SHA_A, SHA_A, COMMIT, SHA_B, SHA_C, SHA512_D);

    public static final String MINIMAL_BUILD = """
            {"type":"build","id":"b-1","source":"urn:ci:jenkins","time":"2024-05-01T12:00:00Z",
             "artifact":{"name":"shop-api","digest":"%s"},"source_repo":"https://github.com/acme/shop","commit":"%s",
             "builder":{"id":"jenkins-agent-7"}}
            """.formatted(SHA_A, COMMIT);

    public static final String DEPLOYMENT = """
            {"type":"deployment","id":"argo-sync-9","source":"https://argocd.example/api","time":"2024-05-01T13:00:00+02:00",
             "service":"shop-api","environment":"prod","cluster":"eu-west-1","artifact_digest":"%s",
             "image_ref":"ghcr.io/acme/shop-api@%s","config_digest":"%s","kind":"deployed"}
            """.formatted(SHA_A, SHA_A, SHA_B);

    public static final String OBSERVED_DEPLOYMENT = """
            {"type":"deployment","id":"obs-1","source":"urn:agent:kube","time":"2024-05-01T13:05:00Z",
             "service":"shop-api","environment":"prod","image_ref":"ghcr.io/acme/shop-api@%s","kind":"observed"}
            """.formatted(SHA_B);

    public static final String DESIRED = """
            {"type":"desired","id":"gitops-77","source":"https://github.com/acme/deploy","time":"2024-05-01T11:00:00Z",
             "service":"shop-api","environment":"prod","artifact_digest":"%s","git_commit":"%s"}
            """.formatted(SHA_A, "f".repeat(64));

    public static final String RUN = """
            {"type":"run","id":"airflow-1-replay","source":"https://airflow.example","time":"2024-05-02T10:00:00Z",
             "run_id":"train-2024-05-02","replay_of":"train-2024-05-01","job":"train-model","code_digest":"%s",
             "environment_digest":"%s","inputs":[{"name":"s3://data/2024-05-01.parquet","digest":"%s"},{"name":"feature-store"}],
             "parameters_digest":"%s","seed":18446744073709551615,"outputs":[{"name":"model.onnx","digest":"%s"}],
             "metrics":{"accuracy":0.9731,"loss":1.5e-2},"tolerance":{"accuracy":0.001},"status":"succeeded",
             "criticality":"non-production","started_at":"2024-05-02T09:00:00Z","finished_at":"2024-05-02T09:59:59.999Z"}
            """.formatted(SHA_A, SHA_B, SHA_C, SHA_A, SHA512_D);

    public static final String TEST = """
            {"type":"test","id":"junit-5","source":"https://ci.example/jobs/5","time":"2024-05-01T12:30:00Z",
             "suite":"shop-api unit","commit":"%s","environment":"linux-amd64","outcome":"fail"}
            """.formatted(COMMIT);

    /** A CDEvents 0.4.1 service.deployed whose purl pins the image digest, with customData naming the cluster. */
    public static final String CDEVENT_SERVICE_DEPLOYED = """
            {"context":{"version":"0.4.1","id":"cde-1","source":"/spinnaker/prod","type":"dev.cdevents.service.deployed.0.2.0",
                        "timestamp":"2024-05-01T14:00:00Z"},
             "subject":{"id":"shop-api","source":"/spinnaker/prod","type":"service",
                        "content":{"environment":{"id":"prod"},"artifactId":"pkg:oci/shop-api@sha256%%3A%s?repository_url=ghcr.io/acme"}},
             "customData":{"cluster":"eu-west-1","labels":{"team":"payments"}}}
            """.formatted("a".repeat(64));

    /** A CDEvents 0.5.1 build.finished (event version 0.3.0, context.specversion). */
    public static final String CDEVENT_05_BUILD_FINISHED = """
            {"context":{"specversion":"0.5.1","id":"cde-2","source":"/tekton/builds","type":"dev.cdevents.build.finished.0.3.0",
                        "timestamp":"2024-05-01T14:00:00Z"},
             "subject":{"id":"build-7","source":"/tekton/builds","content":{"artifactId":"pkg:oci/shop-api@sha256%%3A%s"}},
             "customData":{"commit":"%s","source_repo":"https://github.com/acme/shop","builder":{"id":"tekton-chains"}}}
            """.formatted("a".repeat(64), COMMIT);

    /** A CDEvents 0.5.1 testsuiterun.finished. */
    public static final String CDEVENT_05_TESTSUITE_FINISHED = """
            {"context":{"specversion":"0.5.1","id":"cde-3","source":"/testkube","type":"dev.cdevents.testsuiterun.finished.0.3.0",
                        "timestamp":"2024-05-01T14:10:00Z"},
             "subject":{"id":"run-3","content":{"outcome":"success","environment":{"id":"ci-large"},
                        "testSuite":{"id":"suite-9","name":"checkout e2e"}}},
             "customData":{"commit":"%s"}}
            """.formatted(COMMIT);

    /** A CDEvents 0.5.1 pipelinerun.finished: valid, archived, no typed record. */
    public static final String CDEVENT_05_PIPELINERUN_FINISHED = """
            {"context":{"specversion":"0.5.1","id":"cde-4","source":"/tekton","type":"dev.cdevents.pipelinerun.finished.0.3.0",
                        "timestamp":"2024-05-01T14:20:00Z"},
             "subject":{"id":"pr-1","content":{"pipelineName":"release","outcome":"success"}}}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleEvents() {
    }

    public static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A copy of {@code json} changed by {@code change}. */
    public static String with(String json, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            change.accept(node);
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A structured-mode CloudEvent (application/cloudevents+json) carrying {@code cdEvent}. */
    public static String structuredCloudEvent(String cdEvent) {
        try {
            ObjectNode data = (ObjectNode) JSON.readTree(cdEvent);
            ObjectNode cloudEvent = JSON.createObjectNode();
            cloudEvent.put("specversion", "1.0");
            cloudEvent.put("id", data.path("context").path("id").asText());
            cloudEvent.put("source", data.path("context").path("source").asText());
            cloudEvent.put("type", data.path("context").path("type").asText());
            cloudEvent.put("time", data.path("context").path("timestamp").asText());
            cloudEvent.put("datacontenttype", "application/json");
            cloudEvent.set("data", data);
            return JSON.writeValueAsString(cloudEvent);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The {@code ce-*} headers of a binary-mode CloudEvent carrying {@code cdEvent}. */
    public static Map<String, String> binaryHeaders(String cdEvent) {
        try {
            ObjectNode context = (ObjectNode) JSON.readTree(cdEvent).path("context");
            return Map.of("ce-specversion", "1.0", "ce-id", context.path("id").asText(), "ce-source",
                    context.path("source").asText(), "ce-type", context.path("type").asText(), "ce-time",
                    context.path("timestamp").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An in-toto Statement v1 with SLSA provenance v1 for two artifacts, built from source at {@link #COMMIT}. */
    public static String slsaV1Statement(String finishedOn) {
        return """
                {"_type":"https://in-toto.io/Statement/v1",
                 "subject":[{"name":"shop-api-linux-amd64","digest":{"sha256":"%s"}},
                            {"name":"shop-api-linux-arm64","digest":{"sha512":"%s","md5":"00"}}],
                 "predicateType":"https://slsa.dev/provenance/v1",
                 "predicate":{
                   "buildDefinition":{"buildType":"https://example.com/make/v1",
                     "externalParameters":{"source":{"uri":"git+https://github.com/acme/shop@refs/heads/main","digest":{"gitCommit":"%s"}},
                                           "target":"release"},
                     "internalParameters":{"runner":"runner-17","GITHUB_RUN_ID":99},
                     "resolvedDependencies":[{"uri":"git+https://github.com/acme/shop@refs/heads/main","digest":{"gitCommit":"%s"}},
                                             {"uri":"pkg:golang/golang.org/x/net@v0.25.0","digest":{"sha256":"%s"},
                                              "annotations":{"fetchedAt":"2024-05-01T11:59:00Z"}}]},
                   "runDetails":{"builder":{"id":"https://ci.acme.example/builders/make@v3"},
                                 "metadata":{"invocationId":"run-99","startedOn":"2024-05-01T11:50:00Z"%s}}}}
                """.formatted("a".repeat(64), "d".repeat(128), COMMIT, COMMIT, "c".repeat(64),
                finishedOn == null ? "" : ",\"finishedOn\":\"" + finishedOn + "\"");
    }

    /** An in-toto Statement v0.1 with SLSA provenance v0.2 for one artifact. */
    public static String slsaV02Statement() {
        return """
                {"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2",
                 "subject":[{"name":"shop-cli","digest":{"sha256":"%s"}}],
                 "predicate":{"builder":{"id":"https://github.com/acme/builders/go@v1"},
                   "buildType":"https://github.com/acme/builders/go@v1",
                   "invocation":{"configSource":{"uri":"git+https://github.com/acme/shop.git@refs/tags/v1.2.0",
                                                 "digest":{"sha1":"%s"},"entryPoint":".github/workflows/release.yml"},
                                 "parameters":{"goarch":"amd64"},"environment":{"github_run_id":"123","github_actor":"octocat"}},
                   "buildConfig":{"steps":[{"command":["go","build","./cmd/shop"]}]},
                   "metadata":{"buildInvocationID":"123-1","buildStartedOn":"2024-04-30T10:00:00Z",
                               "buildFinishedOn":"2024-04-30T10:05:00Z","completeness":{"parameters":true}},
                   "materials":[{"uri":"git+https://github.com/acme/shop.git@refs/tags/v1.2.0","digest":{"sha1":"%s"}},
                                {"uri":"docker.io/library/golang@%s","digest":{"sha256":"%s"}}]}}
                """.formatted("b".repeat(64), COMMIT, COMMIT, SHA_C, "c".repeat(64));
    }

    /** A DSSE envelope (in-toto payload type) around {@code statement}. */
    public static String dsse(String statement) {
        return """
                {"payloadType":"application/vnd.in-toto+json","payload":"%s","signatures":[{"keyid":"k1","sig":"c2lnbmF0dXJl"}]}
                """.formatted(Base64.getEncoder().encodeToString(bytes(statement)));
    }

    /** A Sigstore bundle v0.3 around a DSSE envelope of {@code statement}, logged at {@code integratedTime}. */
    public static String sigstoreBundle(String statement, long integratedTime) {
        return """
                {"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json",
                 "verificationMaterial":{"certificate":{"rawBytes":"MIIB"},
                   "tlogEntries":[{"logIndex":"1","integratedTime":"%d"},{"logIndex":"2","integratedTime":"%d"}]},
                 "dsseEnvelope":%s}
                """.formatted(integratedTime + 60, integratedTime, dsse(statement));
    }
}
