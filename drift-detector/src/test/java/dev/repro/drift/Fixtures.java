package dev.repro.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DeploymentKind;
import dev.repro.schema.DesiredState;

/** Test data builders: {@code aDesiredState().withArtifact(..)}, {@code aDeployment().inCluster(..)}. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String DIGEST_A = digest(0xa);
    static final String DIGEST_B = digest(0xb);
    static final String DIGEST_X = digest(0xf00);
    static final String CONFIG_1 = digest(0xc1);
    static final String CONFIG_2 = digest(0xc2);
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** Every builder gets a new event id unless given one. */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Fixtures() {
    }

    static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    static Instant minute(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static DesiredBuilder aDesiredState() {
        return new DesiredBuilder();
    }

    static DeploymentBuilder aDeployment() {
        return new DeploymentBuilder();
    }

    static final class DesiredBuilder {
        private String id = "desired-" + SEQUENCE.incrementAndGet();
        private String source = "https://git.example/gitops";
        private Instant time = T0;
        private String service = "shop";
        private String environment = "prod";
        private String cluster;
        private String artifact = DIGEST_A;
        private String config;
        private String commit = COMMIT;
        private Map<String, String> labels = Map.of("team", "payments");

        DesiredBuilder withId(String value) { id = value; return this; }
        DesiredBuilder atMinute(long minutes) { time = minute(minutes); return this; }
        DesiredBuilder at(Instant value) { time = value; return this; }
        DesiredBuilder forService(String value) { service = value; return this; }
        DesiredBuilder inEnvironment(String value) { environment = value; return this; }
        DesiredBuilder forCluster(String value) { cluster = value; return this; }
        DesiredBuilder withArtifact(String value) { artifact = value; return this; }
        DesiredBuilder withConfig(String value) { config = value; return this; }
        DesiredBuilder withCommit(String value) { commit = value; return this; }
        DesiredBuilder withLabels(Map<String, String> value) { labels = value; return this; }

        /** {@code service/environment[/cluster]}, as ingest keys it. */
        String key() {
            return service + "/" + environment + (cluster == null ? "" : "/" + cluster);
        }

        DesiredState build() {
            return DesiredState.newBuilder()
                    .setId(id).setSource(source).setTime(time).setLabels(new LinkedHashMap<>(labels))
                    .setService(service).setEnvironment(environment).setCluster(cluster)
                    .setArtifactDigest(artifact).setConfigDigest(config).setGitCommit(commit)
                    .build();
        }
    }

    static final class DeploymentBuilder {
        private String id = "deploy-" + SEQUENCE.incrementAndGet();
        private String source = "https://cd.example/argo";
        private Instant time = T0;
        private String service = "shop";
        private String environment = "prod";
        private String cluster = "eu-1";
        private String artifact = DIGEST_A;
        private String imageRef = "registry.example/shop@" + DIGEST_A;
        private String config;
        private DeploymentKind kind = DeploymentKind.DEPLOYED;
        private Map<String, String> labels = Map.of("team", "payments");

        DeploymentBuilder withId(String value) { id = value; return this; }
        DeploymentBuilder withSource(String value) { source = value; return this; }
        DeploymentBuilder atMinute(long minutes) { time = minute(minutes); return this; }
        DeploymentBuilder at(Instant value) { time = value; return this; }
        DeploymentBuilder forService(String value) { service = value; return this; }
        DeploymentBuilder inEnvironment(String value) { environment = value; return this; }
        DeploymentBuilder inCluster(String value) { cluster = value; return this; }
        DeploymentBuilder withConfig(String value) { config = value; return this; }
        DeploymentBuilder observed() { kind = DeploymentKind.OBSERVED; return this; }
        DeploymentBuilder withLabels(Map<String, String> value) { labels = value; return this; }

        /** Deployed by digest: {@code registry.example/shop@<digest>}. */
        DeploymentBuilder withArtifact(String value) {
            artifact = value;
            imageRef = "registry.example/" + service + "@" + value;
            return this;
        }

        /** Deployed by a mutable tag, with no digest: {@code registry.example/shop:<tag>}. */
        DeploymentBuilder byTag(String tag) {
            artifact = null;
            imageRef = "registry.example/" + service + ":" + tag;
            return this;
        }

        /** {@code service/environment/cluster}, cluster {@code default} when absent, as ingest keys it. */
        String key() {
            return service + "/" + environment + "/" + (cluster == null ? "default" : cluster);
        }

        DeploymentEvent build() {
            return DeploymentEvent.newBuilder()
                    .setId(id).setSource(source).setTime(time).setLabels(new LinkedHashMap<>(labels))
                    .setService(service).setEnvironment(environment).setCluster(cluster)
                    .setArtifactDigest(artifact).setImageRef(imageRef).setConfigDigest(config).setKind(kind)
                    .build();
        }
    }
}
