package dev.repro.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.repro.alerts.ForwarderSettings;
import dev.repro.config.ReproConfig;
import dev.repro.drift.DriftConfig;
import dev.repro.ingest.IngestSettings;
import dev.repro.sli.SliConfig;
import dev.repro.topics.TopicId;
import dev.repro.verifier.VerifierConfig;

/**
 * The production deployment ({@code docker-compose.yml} and {@code deploy/}) holds what the README's
 * "Production deployment" says, checked without a Docker engine. {@code docker-compose config}
 * validates the compose file and resolves it (anchors, defaults, paths), and the assertions read
 * its output; the Dockerfiles, the topic and ACL scripts and the poms are read as files. Without
 * {@code docker-compose} on the PATH (Debian: {@code apt-get install docker-compose}) the compose
 * checks are skipped; {@code .ci/run} installs it.
 */
class DeploymentFilesTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");
    private static final Path TOPICS_SCRIPT = ROOT.resolve("deploy/kafka/create-topics.sh");
    private static final Path ACLS_SCRIPT = ROOT.resolve("deploy/kafka/create-acls.sh");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    /** The apps that serve HTTP, with the setting of their address; the others have no endpoint. */
    private static final Map<String, String> HTTP_BIND = Map.of(
            "ingest", IngestSettings.BIND,
            "sli-aggregator", SliConfig.BIND,
            "alert-forwarder", ForwarderSettings.BIND);

    private static JsonNode composeConfig;

    // ---------------------------------------------------------------- docker-compose config

    @Test
    void dockerComposeAcceptsTheComposeFile() {
        ToolRun run = dockerCompose("config", "-q");

        assertThat(run.exitCode())
                .withFailMessage("docker-compose config -q failed with exit code %d:%n%s", run.exitCode(), run.output())
                .isZero();
    }

    @Test
    void runsThreeBrokersInOneKraftQuorumOnTheKafkaVersionOfTheJars() {
        Map<String, JsonNode> brokers = brokers();
        String image = "apache/kafka:" + pomValue(ROOT.resolve("pom.xml"), "/project/properties/kafka.version");

        assertThat(brokers).as("broker services").hasSize(3);
        Set<String> nodeIds = new HashSet<>();
        for (Map.Entry<String, JsonNode> broker : brokers.entrySet()) {
            Map<String, String> env = env(broker.getValue());
            assertThat(broker.getValue().path("image").asText()).as(broker.getKey()).isEqualTo(image);
            assertThat(env.get("KAFKA_PROCESS_ROLES")).as(broker.getKey()).contains("broker");
            assertThat(nodeIds.add(env.get("KAFKA_NODE_ID"))).as("node id of %s is unique", broker.getKey()).isTrue();
            for (Map.Entry<String, JsonNode> voter : brokers.entrySet()) {
                assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).as("quorum voters of %s", broker.getKey())
                        .contains(env(voter.getValue()).get("KAFKA_NODE_ID") + "@" + voter.getKey() + ":");
            }
        }
        assertThat(brokers.values().stream().map(b -> env(b).get("CLUSTER_ID")).distinct().toList())
                .as("one cluster id").singleElement().asString().isNotBlank();
        assertThat(service("topics").path("image").asText()).as("the topics job's tools").isEqualTo(image);
    }

    @Test
    void replicatesEveryTopicThreeTimesWithTwoReplicasInSync() {
        for (Map.Entry<String, JsonNode> broker : brokers().entrySet()) {
            assertThat(env(broker.getValue())).as(broker.getKey())
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        }
        for (Map.Entry<String, JsonNode> client : reproProcesses().entrySet()) {
            assertThat(env(client.getValue())).as(client.getKey())
                    .containsEntry(ReproConfig.TOPIC_REPLICATION_FACTOR, "3");
        }
        assertThat(env(service("topics"))).containsEntry("REPRO_TOPIC_MIN_INSYNC_REPLICAS", "2");
    }

    @Test
    void everyProcessAgreesOnTheClusterAndTheCatalog() {
        Map<String, JsonNode> processes = reproProcesses();

        for (String key : List.of(ReproConfig.BOOTSTRAP_SERVERS, ReproConfig.TOPIC_PREFIX, ReproConfig.TOPIC_PARTITIONS)) {
            Map<String, String> values = new TreeMap<>();
            processes.forEach((name, service) -> values.put(name, env(service).get(key)));
            assertThat(new HashSet<>(values.values())).as("%s of every repro process: %s", key, values).hasSize(1);
        }
        String bootstrap = env(service("topics")).get(ReproConfig.BOOTSTRAP_SERVERS);
        for (String broker : brokers().keySet()) {
            assertThat(bootstrap).contains(broker + ":");
        }
    }

    @Test
    void runsTwoInstancesOfEveryApp() {
        Map<String, List<String>> instances = appInstances();

        assertThat(instances.keySet()).as("apps in docker-compose.yml").containsExactlyInAnyOrderElementsOf(deployedApps());
        instances.forEach((app, services) -> assertThat(services).as("instances of %s", app).hasSize(2));
    }

    @Test
    void buildsEachAppImageFromItsModulesJar() {
        String version = pomValue(ROOT.resolve("pom.xml"), "/project/version");

        for (Map.Entry<String, JsonNode> service : services().entrySet()) {
            Optional<String> app = appOf(service.getValue());
            if (app.isEmpty()) {
                continue;
            }
            JsonNode build = service.getValue().path("build");
            Path context = ROOT.resolve(build.path("context").asText()).normalize();
            Path dockerfile = context.resolve(build.path("dockerfile").asText()).normalize();
            assertThat(context).as("build context of %s", service.getKey()).isEqualTo(ROOT.resolve(app.get()).resolve("target"));
            assertThat(dockerfile).as("Dockerfile of %s", service.getKey()).isRegularFile();
            assertThat(jarCopiedBy(dockerfile)).as("the jar %s copies from %s", dockerfile, context)
                    .isEqualTo(finalName(app.get()) + ".jar");
            assertThat(service.getValue().path("image").asText()).as("image of %s", service.getKey())
                    .endsWith("/" + app.get() + ":" + version);
        }
    }

    @Test
    void givesEachIngestInstanceItsOwnTransactionalId() {
        List<String> ids = appInstances().get("ingest").stream()
                .map(name -> env(service(name)).get(IngestSettings.TRANSACTIONAL_ID))
                .toList();

        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
    }

    @Test
    void publishesIngestOnOneHostPortInFrontOfEveryInstance() {
        Map<String, List<PortMapping>> published = new TreeMap<>();
        services().forEach((name, service) -> {
            List<PortMapping> open = ports(service).stream().filter(p -> !p.loopbackOnly()).toList();
            if (!open.isEmpty()) {
                published.put(name, open);
            }
        });

        assertThat(published).as("services reachable from other hosts").hasSize(1);
        Map.Entry<String, List<PortMapping>> proxy = published.entrySet().iterator().next();
        assertThat(proxy.getValue()).as("ports of %s", proxy.getKey()).hasSize(1);
        String proxyConfig = read(mountedFile(service(proxy.getKey()), "/etc/nginx/conf.d/default.conf"));
        assertThat(proxyConfig).contains("listen " + proxy.getValue().get(0).target() + ";");
        for (String ingest : appInstances().get("ingest")) {
            int port = port(env(service(ingest)).get(IngestSettings.BIND));
            assertThat(proxyConfig).as("the proxy passes requests to %s", ingest).containsPattern(
                    "(?m)^\\s*server\\s+" + Pattern.quote(ingest + ":" + port) + "\\s");
        }
    }

    @Test
    void healthChecksEveryAppThatServesHttpAndRestartsTheOthers() {
        for (String broker : brokers().keySet()) {
            assertThat(healthCheck(service(broker))).as("health check of %s", broker).isNotEmpty();
        }
        appInstances().forEach((app, instances) -> {
            for (String name : instances) {
                JsonNode service = service(name);
                assertThat(service.path("restart").asText()).as("restart policy of %s", name)
                        .isIn("unless-stopped", "always");
                if (HTTP_BIND.containsKey(app)) {
                    int port = port(env(service).get(HTTP_BIND.get(app)));
                    assertThat(healthCheck(service)).as("health check of %s", name)
                            .contains("http://127.0.0.1:" + port + "/");
                }
            }
        });
    }

    @Test
    void startsTheAppsOnlyOnceTheTopicsExist() {
        JsonNode topics = service("topics");
        for (String broker : brokers().keySet()) {
            assertThat(topics.path("depends_on").path(broker).path("condition").asText())
                    .as("the topics job waits for %s", broker).isEqualTo("service_healthy");
        }
        List<String> entrypoint = strings(topics.path("entrypoint"));
        assertThat(entrypoint).isNotEmpty();
        assertThat(mountedFile(topics, entrypoint.get(entrypoint.size() - 1))).isEqualTo(TOPICS_SCRIPT);

        appInstances().values().stream().flatMap(List::stream).forEach(name ->
                assertThat(service(name).path("depends_on").path("topics").path("condition").asText())
                        .as("%s starts after the topics job succeeded", name)
                        .isEqualTo("service_completed_successfully"));
    }

    // ---------------------------------------------------------------- the files themselves

    @Test
    void eachAppHasADockerfileRunningItsJarOnTemurin17AsAnUnprivilegedUser() {
        Set<String> dockerfileDirs;
        try (Stream<Path> dirs = Files.list(ROOT.resolve("deploy/docker"))) {
            dockerfileDirs = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(dockerfileDirs).as("deploy/docker/<app>").containsExactlyInAnyOrderElementsOf(deployedApps());

        for (String app : deployedApps()) {
            Path dockerfile = ROOT.resolve("deploy/docker").resolve(app).resolve("Dockerfile");
            List<Instruction> instructions = instructions(dockerfile);
            String jar = finalName(app) + ".jar";

            assertThat(only(instructions, "FROM")).as("%s: base image", dockerfile).matches("eclipse-temurin:17[^\\s]*-jre[^\\s]*");
            assertThat(jarCopiedBy(dockerfile)).as("%s: the jar it copies", dockerfile).isEqualTo(jar);
            assertThat(all(instructions, "COPY")).as("%s: the jar's dependencies", dockerfile).anyMatch(c -> c.startsWith("lib/ "));
            assertThat(only(instructions, "USER")).as("%s: user", dockerfile).doesNotStartWith("root").doesNotStartWith("0");
            assertThat(only(instructions, "ENTRYPOINT")).as("%s: what it runs", dockerfile).contains("\"-jar\"").contains(jar + "\"");
            List<String> healthChecks = all(instructions, "HEALTHCHECK");
            if (HTTP_BIND.containsKey(app)) {
                int port = port(dockerfileEnv(instructions).get(HTTP_BIND.get(app)));
                assertThat(healthChecks).as("%s: HEALTHCHECK", dockerfile).singleElement().asString()
                        .contains("http://127.0.0.1:" + port + "/");
            } else {
                assertThat(healthChecks).as("%s: HEALTHCHECK of an app without HTTP", dockerfile).isEmpty();
            }
        }
    }

    @Test
    void theTopicsJobCreatesEveryTopicOfTheCatalogWithItsCleanupPolicyAndRetention() {
        Map<String, String> inScript = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\s*\"([a-z.]+)\\s+(delete|compact)\\s+(\\d+|-)\"\\s*$").matcher(read(TOPICS_SCRIPT));
        while (row.find()) {
            inScript.put(row.group(1), row.group(2) + " " + row.group(3));
        }

        Map<String, String> catalog = new TreeMap<>();
        for (TopicId id : TopicId.values()) {
            String retention = id.defaultRetention().map(r -> {
                assertThat(r.toHours() % 24).as("retention of %s in whole days", id).isZero();
                return String.valueOf(r.toDays());
            }).orElse("-");
            catalog.put(id.suffix(), id.cleanupPolicy() + " " + retention);
        }
        assertThat(inScript).as("the table in %s", ROOT.relativize(TOPICS_SCRIPT)).isEqualTo(catalog);
    }

    @Test
    void theAclsNameOnlyCatalogTopicsAndTheStreamsAppsApplicationIds() {
        String script = read(ACLS_SCRIPT).replaceAll("\\\\\\n\\s*", " ");
        Set<String> suffixes = Arrays.stream(TopicId.values()).map(TopicId::suffix).collect(Collectors.toSet());
        Set<String> granted = new TreeSet<>();
        Matcher topics = Pattern.compile("(?m)^(?:reads|writes) \"\\$\\w+\" (.+)$").matcher(script);
        while (topics.find()) {
            granted.addAll(List.of(topics.group(1).strip().split("\\s+")));
        }
        Map<String, String> owned = new TreeMap<>();
        Matcher owns = Pattern.compile("(?m)^owns \"\\$(\\w+)\" (\\S+)$").matcher(script);
        while (owns.find()) {
            owned.put(owns.group(1), owns.group(2));
        }

        assertThat(granted).as("topics in %s", ROOT.relativize(ACLS_SCRIPT)).isNotEmpty().isSubsetOf(suffixes);
        ReproConfig defaults = ReproConfig.of(Map.of());
        assertThat(defaults.topicPrefix() + owned.get("verifier")).isEqualTo(VerifierConfig.from(defaults).applicationId());
        assertThat(defaults.topicPrefix() + owned.get("drift")).isEqualTo(DriftConfig.from(defaults).applicationId());
        assertThat(defaults.topicPrefix() + owned.get("sli")).isEqualTo(SliConfig.from(defaults).applicationId());
        assertThat(owned.get("ingest")).isEqualTo("ingest");
    }

    @Test
    void theDeploymentScriptsAreValidBash() {
        Optional<Path> bash = onPath("bash");
        assumeTrue(bash.isPresent(), "bash is not installed");

        for (Path script : List.of(TOPICS_SCRIPT, ACLS_SCRIPT)) {
            ToolRun run = ToolRun.of(List.of(bash.get().toString(), "-n", script.toString()));
            assertThat(run.exitCode()).withFailMessage("bash -n %s:%n%s", script, run.output()).isZero();
        }
    }

    // ---------------------------------------------------------------- the resolved compose file

    private static synchronized JsonNode composeConfig() {
        if (composeConfig == null) {
            ToolRun run = dockerCompose("config");
            assertThat(run.exitCode())
                    .withFailMessage("docker-compose config failed with exit code %d:%n%s", run.exitCode(), run.output())
                    .isZero();
            try {
                composeConfig = YAML.readTree(run.stdout());
            } catch (IOException e) {
                throw new UncheckedIOException("docker-compose config printed no YAML", e);
            }
        }
        return composeConfig;
    }

    /**
     * Runs docker-compose on the compose file as a user would from the repository root, but
     * without the caller's {@code REPRO_*} variables or a {@code .env} file, so that the defaults
     * are what is checked.
     */
    private static ToolRun dockerCompose(String... args) {
        Optional<Path> tool = onPath("docker-compose");
        assumeTrue(tool.isPresent(), "docker-compose is not installed (Debian: apt-get install docker-compose)");
        try {
            Path noEnvFile = Files.createTempFile("repro-compose", ".env");
            try {
                List<String> command = new ArrayList<>(List.of(tool.get().toString(),
                        "--env-file", noEnvFile.toString(), "-f", COMPOSE_FILE.toString()));
                command.addAll(List.of(args));
                return ToolRun.of(command);
            } finally {
                Files.deleteIfExists(noEnvFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, JsonNode> services() {
        Map<String, JsonNode> services = new TreeMap<>();
        composeConfig().path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    private static JsonNode service(String name) {
        JsonNode service = composeConfig().path("services").path(name);
        assertThat(service.isMissingNode()).as("service %s in docker-compose.yml", name).isFalse();
        return service;
    }

    /** Kafka nodes: the apache/kafka services with the broker role. */
    private static Map<String, JsonNode> brokers() {
        Map<String, JsonNode> brokers = new TreeMap<>();
        services().forEach((name, service) -> {
            if (service.path("image").asText().startsWith("apache/kafka:")
                    && env(service).getOrDefault("KAFKA_PROCESS_ROLES", "").contains("broker")) {
                brokers.put(name, service);
            }
        });
        return brokers;
    }

    /** Services running repro code (the apps and the topics job): those told where Kafka is. */
    private static Map<String, JsonNode> reproProcesses() {
        Map<String, JsonNode> processes = new TreeMap<>();
        services().forEach((name, service) -> {
            if (env(service).containsKey(ReproConfig.BOOTSTRAP_SERVERS)) {
                processes.put(name, service);
            }
        });
        return processes;
    }

    /** App → its services, an app being what deploy/docker/&lt;app&gt;/Dockerfile builds. */
    private static Map<String, List<String>> appInstances() {
        Map<String, List<String>> instances = new TreeMap<>();
        services().forEach((name, service) ->
                appOf(service).ifPresent(app -> instances.computeIfAbsent(app, a -> new ArrayList<>()).add(name)));
        return instances;
    }

    private static Optional<String> appOf(JsonNode service) {
        JsonNode build = service.path("build");
        if (!build.has("dockerfile")) {
            return Optional.empty();
        }
        Path dockerfile = ROOT.resolve(build.path("context").asText()).resolve(build.path("dockerfile").asText()).normalize();
        Path dockerDir = ROOT.resolve("deploy/docker");
        if (!dockerfile.startsWith(dockerDir) || dockerfile.getNameCount() != dockerDir.getNameCount() + 2) {
            return Optional.empty();
        }
        return Optional.of(dockerfile.getParent().getFileName().toString());
    }

    private static Map<String, String> env(JsonNode service) {
        Map<String, String> env = new TreeMap<>();
        JsonNode environment = service.path("environment");
        if (environment.isObject()) {
            environment.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        } else {
            for (String entry : strings(environment)) {
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return env;
    }

    private static String healthCheck(JsonNode service) {
        JsonNode test = service.path("healthcheck").path("test");
        return test.isArray() ? String.join(" ", strings(test)) : test.asText();
    }

    /** A published port: the host address ("" for every interface) and the container port. */
    private record PortMapping(String hostIp, int published, int target) {

        boolean loopbackOnly() {
            return hostIp.equals("127.0.0.1") || hostIp.equals("::1") || hostIp.equals("localhost");
        }
    }

    private static List<PortMapping> ports(JsonNode service) {
        List<PortMapping> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports")) {
            if (port.isObject()) {
                ports.add(new PortMapping(port.path("host_ip").asText(""), port.path("published").asInt(), port.path("target").asInt()));
            } else {
                List<String> parts = List.of(port.asText().replaceAll("/\\w+$", "").split(":"));
                int n = parts.size();
                ports.add(new PortMapping(n > 2 ? String.join(":", parts.subList(0, n - 2)) : "",
                        n > 1 ? Integer.parseInt(parts.get(n - 2)) : 0, Integer.parseInt(parts.get(n - 1))));
            }
        }
        return ports;
    }

    /** The host file behind {@code containerPath}, through the service's bind mounts. */
    private static Path mountedFile(JsonNode service, String containerPath) {
        for (String volume : strings(service.path("volumes"))) {
            String[] parts = volume.split(":");
            if (parts.length < 2 || !parts[0].startsWith("/")) {
                continue; // a named volume
            }
            if (containerPath.equals(parts[1])) {
                return Path.of(parts[0]);
            }
            if (containerPath.startsWith(parts[1] + "/")) {
                return Path.of(parts[0]).resolve(containerPath.substring(parts[1].length() + 1));
            }
        }
        throw new AssertionError(containerPath + " is not a bind mount of the service: " + service.path("volumes"));
    }

    private static List<String> strings(JsonNode node) {
        List<String> strings = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> strings.add(n.isObject() ? n.path("source").asText() + ":" + n.path("target").asText() : n.asText()));
        } else if (node.isTextual()) {
            strings.add(node.asText());
        }
        return strings;
    }

    private static int port(String hostAndPort) {
        assertThat(hostAndPort).as("an address host:port").isNotNull().contains(":");
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    // ---------------------------------------------------------------- poms and Dockerfiles

    /** The modules that ship a runnable app (the marker of the parent's runnable-app profile), but the CLI. */
    private static List<String> deployedApps() {
        Document parent = xml(ROOT.resolve("pom.xml"));
        List<String> apps = new ArrayList<>();
        org.w3c.dom.NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().strip();
            if (!module.equals("launcher") && Files.exists(ROOT.resolve(module).resolve("src/main/resources/META-INF/repro-app"))) {
                apps.add(module);
            }
        }
        assertThat(apps).as("runnable app modules").isNotEmpty();
        return apps;
    }

    /** The module's jar name without .jar: its own finalName, else the runnable-app profile's. */
    private static String finalName(String module) {
        Path pom = ROOT.resolve(module).resolve("pom.xml");
        assertThat(ROOT.resolve(module).resolve("src/main/resources/META-INF/repro-app"))
                .as("%s is packaged as a runnable app", module).exists();
        String own = pomValue(pom, "/project/build/finalName");
        String name = own.isEmpty()
                ? pomValue(ROOT.resolve("pom.xml"), "/project/profiles/profile[id='runnable-app']/build/finalName")
                : own;
        assertThat(name).as("finalName of %s", module).isNotEmpty();
        return name.replace("${project.artifactId}", pomValue(pom, "/project/artifactId"));
    }

    private static String pomValue(Path pom, String xpath) {
        try {
            return XPathFactory.newInstance().newXPath().evaluate(xpath, xml(pom)).strip();
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new IllegalArgumentException(xpath, e);
        }
    }

    private static Document xml(Path file) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** One Dockerfile instruction, continuation lines joined. */
    private record Instruction(String keyword, String arguments) {
    }

    private static List<Instruction> instructions(Path dockerfile) {
        assertThat(dockerfile).isRegularFile();
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read(dockerfile).split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                String[] parts = text.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            }
        }
        return instructions;
    }

    private static List<String> all(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    private static String only(List<Instruction> instructions, String keyword) {
        List<String> found = all(instructions, keyword);
        assertThat(found).as("%s instructions", keyword).hasSize(1);
        return found.get(0);
    }

    /** The source of the COPY that brings in a jar. */
    private static String jarCopiedBy(Path dockerfile) {
        List<String> jars = all(instructions(dockerfile), "COPY").stream()
                .map(args -> args.split("\\s+")[0])
                .filter(source -> source.endsWith(".jar"))
                .toList();
        assertThat(jars).as("%s copies one jar", dockerfile).hasSize(1);
        return jars.get(0);
    }

    /** The ENV instructions' variables ({@code ENV A=1 B="x y"}). */
    private static Map<String, String> dockerfileEnv(List<Instruction> instructions) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher pair = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(String.join(" ", all(instructions, "ENV")));
        while (pair.find()) {
            env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
        }
        return env;
    }

    // ---------------------------------------------------------------- processes and files

    private record ToolRun(int exitCode, String stdout, String stderr) {

        String output() {
            return (stdout + "\n" + stderr).strip();
        }

        static ToolRun of(List<String> command) {
            try {
                Path out = Files.createTempFile("repro-tool", ".out");
                Path err = Files.createTempFile("repro-tool", ".err");
                try {
                    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                            .redirectOutput(out.toFile()).redirectError(err.toFile());
                    builder.environment().keySet().removeIf(key -> key.startsWith("REPRO_") || key.startsWith("COMPOSE_"));
                    Process process = builder.start();
                    if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        throw new AssertionError(String.join(" ", command) + " did not finish within " + TOOL_TIMEOUT);
                    }
                    return new ToolRun(process.exitValue(), Files.readString(out), Files.readString(err));
                } finally {
                    Files.deleteIfExists(out);
                    Files.deleteIfExists(err);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + command, e);
            }
        }
    }

    private static Optional<Path> onPath(String executable) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir).resolve(executable))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory with mvnw: surefire runs this test in launcher/. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("launcher"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the repro repository: " + Path.of("").toAbsolutePath());
    }
}
