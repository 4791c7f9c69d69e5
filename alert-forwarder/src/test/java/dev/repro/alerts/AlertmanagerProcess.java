package dev.repro.alerts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.testkit.Eventually;

/**
 * A real Alertmanager (the Debian package's binary) as a child process: loopback on a free port,
 * a minimal configuration, storage in a temporary directory, and no cluster gossip (which would
 * otherwise bind 0.0.0.0:9094).
 */
public final class AlertmanagerProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    private static final String CONFIG = """
            route:
              receiver: blackhole
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: blackhole
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Process process;
    private final URI url;
    private final Path log;

    private AlertmanagerProcess(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts Alertmanager in {@code dir} and waits until it says it is ready; stops it again if it never is. */
    public static AlertmanagerProcess start(Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), CONFIG);
        Path storage = Files.createDirectories(dir.resolve("data"));
        Path log = dir.resolve("alertmanager.log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                "--config.file=" + config,
                "--storage.path=" + storage,
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerProcess alertmanager = new AlertmanagerProcess(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            Eventually.await("Alertmanager to be ready (log: " + log + ")", Duration.ofSeconds(30), alertmanager::ready);
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return alertmanager;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:39093}. */
    public URI url() {
        return url;
    }

    /** {@code GET /api/v2/alerts}: the alerts Alertmanager holds active (resolved ones are left out). */
    public List<JsonNode> activeAlerts() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/api/v2/alerts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /api/v2/alerts answered " + response.statusCode() + ": " + response.body());
            }
            List<JsonNode> alerts = new ArrayList<>();
            JSON.readTree(response.body()).forEach(alerts::add);
            return alerts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The active alerts whose {@code dedupe_key} label is {@code key}. */
    public List<JsonNode> active(String key) {
        return activeAlerts().stream().filter(a -> key.equals(a.path("labels").path("dedupe_key").asText())).toList();
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("Alertmanager exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops Alertmanager (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
