package dev.repro.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.kafka.local.FreePorts;
import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
import dev.repro.serde.AvroSerdes;

/**
 * The packaged CLI as a user runs it ({@code java -jar launcher.jar …}, which is what {@code ./repro}
 * executes): {@code up} against a real broker, {@code topics}, {@code tail}, Ctrl-C, a second
 * {@code up} keeping the data, and one-line errors for bad configuration.
 */
class ReproCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private final List<Process> started = new ArrayList<>();
    private static final Map<Process, StringBuilder> output = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void upCreatesTopicsKeepsDataAcrossRestartsAndStopsOnCtrlC() throws Exception {
        int port = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        Map<String, String> env = Map.of("REPRO_HOME", home.toString(),
                "REPRO_BROKER_PORT", String.valueOf(port), "REPRO_CONTROLLER_PORT", String.valueOf(controllerPort));

        Process up = startUp(env);
        String bootstrap = "127.0.0.1:" + port;
        assertThat(Files.readString(home.resolve("bootstrap.servers")).strip()).isEqualTo(bootstrap);

        Result topics = run(env, "topics");
        assertThat(topics.exit()).as(topics.err()).isZero();
        for (String compacted : List.of("repro.verdicts.rebuild", "repro.verdicts.replay", "repro.drift",
                "repro.sli", "repro.alerts", "repro.events.desired")) {
            assertThat(topics.out()).containsPattern("(?m)^" + compacted.replace(".", "\\.") + " .*cleanup\\.policy=compact");
        }
        assertThat(topics.out()).containsPattern("(?m)^repro\\.events\\.builds .*cleanup\\.policy=delete");

        BuildEvent build = build();
        String key = "ghcr.io/example/app@" + build.getCommit() + "#" + build.getRecipeDigest();
        produce(bootstrap, "repro.events.builds", key, AvroSerdes.create().serialize(build));

        JsonNode tailed = tailOne(env);
        assertThat(tailed.get("key").asText()).isEqualTo(key);
        assertThat(tailed.at("/value/artifact/digest").asText()).isEqualTo(build.getArtifact().getDigest());
        assertThat(tailed.at("/value/outcome").asText()).isEqualTo("SUCCESS");
        assertThat(tailed.get("partition").isInt()).isTrue();
        assertThat(tailed.get("offset").asLong()).isZero();

        ctrlC(up);
        assertThat(FreePorts.isFree("127.0.0.1", port)).as("broker port released").isTrue();
        assertThat(FreePorts.isFree("127.0.0.1", controllerPort)).as("controller port released").isTrue();
        assertThat(home.resolve("bootstrap.servers")).doesNotExist();

        Process again = startUp(env);
        JsonNode afterRestart = tailOne(env);
        assertThat(afterRestart.at("/value/artifact/digest").asText()).isEqualTo(build.getArtifact().getDigest());
        ctrlC(again);
    }

    @Test
    void portInUseFailsWithOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Result result = run(Map.of("REPRO_HOME", home.toString(),
                    "REPRO_BROKER_PORT", String.valueOf(busy.getLocalPort()),
                    "REPRO_CONTROLLER_PORT", String.valueOf(FreePorts.pick())), "up");
            assertThat(result.exit()).isEqualTo(1);
            assertOneLineError(result, "port " + busy.getLocalPort() + " on 127.0.0.1 (the broker listener) is already in use");
        }
    }

    @Test
    void unusableDataDirectoryFailsWithOneLine() throws Exception {
        Path file = Files.writeString(home.resolve("not-a-dir"), "x");
        Result result = run(Map.of("REPRO_HOME", file.resolve("data").toString()), "up");
        assertThat(result.exit()).isEqualTo(1);
        assertOneLineError(result, "the data directory " + file.resolve("data") + " cannot be used");
        assertThat(result.err()).contains("REPRO_HOME");
    }

    @Test
    void unreachableBootstrapServersFailWithOneLine() throws Exception {
        int nobody = FreePorts.pick();
        Map<String, String> env = Map.of("REPRO_HOME", home.toString(),
                "REPRO_BOOTSTRAP_SERVERS", "127.0.0.1:" + nobody);
        for (String command : List.of("topics", "tail")) {
            Result result = command.equals("topics") ? run(env, "topics") : run(env, "tail", "repro.sli");
            assertThat(result.exit()).as(command).isEqualTo(1);
            assertOneLineError(result, "cannot reach Kafka at 127.0.0.1:" + nobody);
        }
    }

    @Test
    void alertsForwardWithoutATargetSaysWhichSettingsToSet() throws Exception {
        Result result = run(Map.of("REPRO_HOME", home.toString()), "alerts", "forward");
        assertThat(result.exit()).isEqualTo(1);
        assertOneLineError(result, "no target configured");
        assertThat(result.err()).contains("REPRO_ALERTS_ALERTMANAGER_URL");
    }

    @Test
    void badSettingNamesTheVariable() throws Exception {
        Result result = run(Map.of("REPRO_HOME", home.toString(), "REPRO_BROKER_PORT", "70000"), "up");
        assertThat(result.exit()).isEqualTo(1);
        assertOneLineError(result, "REPRO_BROKER_PORT");
    }

    private static void assertOneLineError(Result result, String expected) {
        List<String> lines = result.err().lines().filter(l -> !l.isBlank())
                .filter(l -> !l.startsWith("repro: starting Kafka")).toList();
        assertThat(lines).as(result.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("repro: ").contains(expected);
        assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    private Process startUp(Map<String, String> env) throws Exception {
        // `up` prints only to stderr, which is read below; its stdout is not read, so it must not be a pipe that can fill
        Process up = process(env, "up").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(up);
        BufferedReader err = new BufferedReader(new InputStreamReader(up.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    if (line.startsWith("repro: up in ")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(ready.get(90, TimeUnit.SECONDS)).as("`up` became ready; it said:\n%s", seen).isTrue();
        // keep draining stderr so the process never blocks on a full pipe; kept for failure messages
        CompletableFuture.runAsync(() -> err.lines().forEach(l -> seen.append(l).append('\n')));
        output.put(up, seen);
        return up;
    }

    private static void ctrlC(Process up) throws Exception {
        List<ProcessHandle> children = up.descendants().toList();
        new ProcessBuilder("kill", "-INT", String.valueOf(up.pid())).inheritIO().start().waitFor();
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("`up` exits after Ctrl-C; it said:\n%s", output.get(up)).isTrue();
        assertThat(up.exitValue()).isIn(0, 130);
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
            assertThat(child.isAlive()).as("child process %s stopped", child.pid()).isFalse();
        }
    }

    private JsonNode tailOne(Map<String, String> env) throws Exception {
        Result tail = run(env, "tail", "repro.events.builds", "--from-beginning");
        assertThat(tail.exit()).as(tail.err()).isZero();
        List<String> lines = tail.out().lines().toList();
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.get(0));
    }

    private static void produce(String bootstrap, String topic, String key, byte[] value) throws Exception {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, bootstrap));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new KafkaClientSettings(config).producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static BuildEvent build() {
        return BuildEvent.newBuilder()
                .setId("it-1")
                .setSource("https://ci.example.com/app")
                .setTime(Instant.parse("2026-11-23T10:00:00Z"))
                .setArtifact(Artifact.newBuilder().setName("ghcr.io/example/app")
                        .setDigest("sha256:" + "ab".repeat(32)).build())
                .setSourceRepo("https://github.com/example/app")
                .setCommit("0123456789abcdef0123456789abcdef01234567")
                .setRecipeDigest("sha256:" + "cd".repeat(32))
                .setBuilder(BuildPlatform.newBuilder().setId("https://ci.example.com/runner").build())
                .setOutcome(BuildOutcome.SUCCESS)
                .build();
    }

    record Result(int exit, String out, String err) {
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        Process p = process(env, args).start();
        started.add(p);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("repro %s finished", String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private ProcessBuilder process(Map<String, String> env, String... args) {
        Path jar = Path.of("target", "launcher.jar").toAbsolutePath();
        assertThat(jar).as("failsafe runs after package").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        // as ./repro does: a JVM never handles a SIGINT that was ignored when it started, and a build run in the
        // background (nohup, CI) passes SIGINT on as ignored; reset it so the Ctrl-C tests mean what they say
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", java, "-Xmx512m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("REPRO_") || k.startsWith("KAFKA_"));
        environment.putAll(new HashMap<>(env));
        return builder;
    }
}
