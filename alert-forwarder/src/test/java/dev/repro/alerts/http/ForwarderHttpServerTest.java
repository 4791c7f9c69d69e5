package dev.repro.alerts.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.repro.alerts.TargetKind;
import dev.repro.schema.AlertStatus;

/** {@code /metrics}, {@code /healthz} and {@code /readyz} over real HTTP. */
class ForwarderHttpServerTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private ForwarderMetrics metrics;
    private ForwarderHttpServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new ForwarderMetrics("repro.alerts", Set.of(TargetKind.ALERTMANAGER, TargetKind.WEBHOOK));
        server = new ForwarderHttpServer(new InetSocketAddress("127.0.0.1", 0), metrics, alive::get, ready::get).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeCountersHistogramAndGaugesThatPromtoolAccepts() throws Exception {
        metrics.forwarded(TargetKind.WEBHOOK, AlertStatus.FIRING, Duration.ofMillis(30));
        metrics.forwarded(TargetKind.WEBHOOK, AlertStatus.RESOLVED, Duration.ofSeconds(3));
        metrics.forwarded(TargetKind.ALERTMANAGER, AlertStatus.FIRING, Duration.ofMillis(-5));
        metrics.retried(TargetKind.ALERTMANAGER);
        metrics.retried(TargetKind.ALERTMANAGER);
        metrics.parked(TargetKind.WEBHOOK);
        metrics.resent(4);
        metrics.undecodable();
        metrics.gauges(new ForwarderMetrics.Gauges(true, 3, 1, Map.of(TargetKind.ALERTMANAGER, 12),
                Map.of(TargetKind.ALERTMANAGER, false), Map.of(0, 5L, 2, 0L)));

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("repro_alerts_forwarded_total{target=\"webhook\",status=\"FIRING\"} 1\n")
                .contains("repro_alerts_forwarded_total{target=\"webhook\",status=\"RESOLVED\"} 1\n")
                .contains("repro_alerts_forwarded_total{target=\"alertmanager\",status=\"RESOLVED\"} 0\n")
                .contains("repro_alerts_retried_total{target=\"alertmanager\"} 2\n")
                .contains("repro_alerts_retried_total{target=\"webhook\"} 0\n")
                .contains("repro_alerts_parked_total{target=\"webhook\"} 1\n")
                .contains("repro_alerts_resent_total 4\n")
                .contains("repro_alerts_undecodable_total 1\n")
                .contains("repro_alerts_delivery_latency_seconds_bucket{target=\"webhook\",le=\"0.025\"} 0\n")
                .contains("repro_alerts_delivery_latency_seconds_bucket{target=\"webhook\",le=\"0.05\"} 1\n")
                .contains("repro_alerts_delivery_latency_seconds_bucket{target=\"webhook\",le=\"+Inf\"} 2\n")
                .contains("repro_alerts_delivery_latency_seconds_sum{target=\"webhook\"} 3.03\n")
                .contains("repro_alerts_delivery_latency_seconds_count{target=\"alertmanager\"} 1\n")
                .contains("repro_alerts_delivery_latency_seconds_bucket{target=\"alertmanager\",le=\"0.01\"} 1\n")
                .contains("repro_alerts_pending{target=\"alertmanager\"} 12\n")
                .contains("repro_alerts_pending{target=\"webhook\"} 0\n")
                .contains("repro_alerts_target_up{target=\"alertmanager\"} 0\n")
                .contains("repro_alerts_target_up{target=\"webhook\"} 1\n")
                .contains("repro_alerts_consumer_lag{topic=\"repro.alerts\",partition=\"0\"} 5\n")
                .contains("repro_alerts_assigned_partitions 3\n")
                .contains("repro_alerts_paused_partitions 1\n")
                .contains("repro_alerts_ready 1\n")
                .doesNotContain("pagerduty");

        assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed at " + PROMTOOL + " (Debian package prometheus)");
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(response.body().getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as("promtool check metrics said: %s", output).isZero();
    }

    @Test
    void shouldAnswerHealthAndReadiness() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("not consuming");

        ready.set(true);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);

        alive.set(false);
        assertThat(get("/healthz").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldRefuseUnknownPathsAndOtherMethods() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
}
