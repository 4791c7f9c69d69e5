package dev.repro.alerts;

import static dev.repro.alerts.AlertFixtures.anAlert;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.repro.config.ReproConfig;
import dev.repro.testkit.Eventually;
import dev.repro.testkit.KafkaBroker;

/** {@code java -jar alert-forwarder/target/alert-forwarder.jar}: exit 2 on a bad setting, a clean stop on SIGTERM. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AlertForwarderMainIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final Path JAR = Path.of("target", "alert-forwarder.jar");
    private static final String SECRET = "the-webhook-hmac-secret";
    private static final String ROUTING_KEY = "R0123456789abcdefghijklmnopqrstu";

    @TempDir
    Path dir;

    private Process launch(Map<String, String> environment, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("REPRO_") || name.startsWith("KAFKA_"));
        builder.environment().putAll(environment);
        return builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private int exitOf(Process process) throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the forwarder did not exit within 60 s");
        }
        return process.exitValue();
    }

    @Test
    void shouldExitWith2AndOneLineNamingTheKeyOnABadSetting() throws Exception {
        Path output = dir.resolve("bad.txt");
        Process process = launch(Map.of(ForwarderSettings.WEBHOOK_URL, "ftp://hooks.example/x"), output);

        assertThat(exitOf(process)).isEqualTo(2);
        assertThat(Files.readString(output).strip())
                .isEqualTo("alert-forwarder: REPRO_ALERTS_WEBHOOK_URL: expected an http:// or https:// URL with a host");

        Path none = dir.resolve("none.txt");
        assertThat(exitOf(launch(Map.of(), none))).isEqualTo(2);
        assertThat(Files.readString(none).strip()).startsWith("alert-forwarder: REPRO_ALERTS_ALERTMANAGER_URL,")
                .contains("no target configured").doesNotContain("\n");
    }

    @Test
    void shouldForwardAndStopCleanlyOnSigterm() throws Exception {
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, 3); TestReceiver webhook = TestReceiver.start();
             TestReceiver pagerDuty = TestReceiver.start()) {
            ReproConfig config = kafka.config();
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            String group = KAFKA.uniqueName("main");
            Path output = dir.resolve("forwarder.txt");
            Process process = launch(Map.of(
                    ReproConfig.BOOTSTRAP_SERVERS, config.bootstrapServers(),
                    ReproConfig.TOPIC_PREFIX, config.topicPrefix(),
                    ForwarderSettings.BIND, "127.0.0.1:" + port,
                    ForwarderSettings.GROUP_ID, group,
                    ForwarderSettings.WEBHOOK_URL, webhook.url("/hook").toString(),
                    ForwarderSettings.WEBHOOK_HMAC_SECRET, SECRET,
                    ForwarderSettings.PAGERDUTY_URL, pagerDuty.url("/v2/enqueue").toString(),
                    ForwarderSettings.PAGERDUTY_ROUTING_KEY, ROUTING_KEY), output);
            try {
                HttpClient http = HttpClient.newHttpClient();
                Eventually.await("the forwarder to be ready", Duration.ofSeconds(60), () -> readyz(http, port) == 200);
                kafka.produce(anAlert("replay/sha256:main").page().firstSeen(Instant.now()).build());
                Eventually.await("the alert at both targets", Duration.ofSeconds(30),
                        () -> webhook.accepted(r -> true).size() == 1 && pagerDuty.accepted(r -> true).size() == 1);

                process.destroy();

                assertThat(exitOf(process)).as("terminated by SIGTERM, through the shutdown hook").isEqualTo(143);
            } finally {
                process.destroyForcibly();
            }
            assertThat(kafka.committedEverything(group)).as("what was delivered is committed on the way out").isTrue();
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(log).contains("alert-forwarder: reading " + kafka.alertsTopic() + " as group " + group)
                    .doesNotContain("ERROR").doesNotContain("Exception")
                    .doesNotContain(SECRET).doesNotContain(ROUTING_KEY);
        }
    }

    private static int readyz(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
