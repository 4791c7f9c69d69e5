package dev.repro.sli;

import static dev.repro.sli.Fixtures.aDrift;
import static dev.repro.sli.Fixtures.aReplayVerdict;
import static dev.repro.sli.Fixtures.aRun;
import static dev.repro.sli.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.schema.DriftState;
import dev.repro.schema.ReplayStatus;
import dev.repro.serde.RecordJson;

/** The HTTP API over real HTTP, on the state of a {@link SliDriver}. */
class SliHttpServerTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} (\\S+)$");

    private final HttpClient http = HttpClient.newHttpClient();
    private SliDriver driver;
    private SliHttpServer server;

    @BeforeEach
    void start() throws IOException {
        driver = new SliDriver();
        driver.pipe(aRun("r1", at(1)).build(), aRun("r2", at(2)).setTraceId(null).build(),
                aReplayVerdict("a", ReplayStatus.MISMATCH, at(3)).setCodeDigest("sha256:c1").setTimeToVerifyMs(60_000L).build(),
                aDrift("payments", "prod", DriftState.DRIFTED, "i1", at(1), at(4)).build());
        server = new SliHttpServer(driver.config.bind(), driver.queries(), RecordJson.create(), () -> true).start();
    }

    @AfterEach
    void stop() {
        server.close();
        driver.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeMetricsThatPromtoolAcceptsWithTheSliValues() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                samples.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
            }
        }
        assertThat(samples).containsEntry("repro_sli{sli=\"trace_correlation_rate\",scope=\"global\",window=\"1h\"}", 0.5);
        // target 0.99: error 0.5 → burn 50, budget -49
        assertThat(samples).containsEntry("repro_sli_burn_rate{sli=\"trace_correlation_rate\",scope=\"global\",window=\"1h\"}", 50.0);
        assertThat(samples).containsEntry(
                "repro_sli_error_budget_remaining{sli=\"trace_correlation_rate\",scope=\"service:payments\",window=\"28d\"}", -49.0);
        assertThat(samples).containsEntry("repro_sli{sli=\"replay_success_rate\",scope=\"global\",window=\"5m\"}", 0.0);
        assertThat(samples).containsEntry(
                "repro_sli_replay_time_to_verify_seconds{sli=\"replay_time_to_verify\",scope=\"global\",window=\"1d\",percentile=\"50\"}", 60.0);
        assertThat(samples).containsEntry("repro_alerts_firing{kind=\"REPLAY_FAILED\",severity=\"PAGE\"}", 1.0);
        assertThat(samples).containsEntry("repro_alerts_firing{kind=\"DRIFT\",severity=\"PAGE\"}", 1.0);
        assertThat(samples).containsEntry("repro_sli_eligible_events{sli=\"drift_incidents\",scope=\"global\",window=\"7d\"}", 1.0);

        assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed at " + PROMTOOL);
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(response.body().getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as("promtool check metrics said: %s", output).isZero();
    }

    @Test
    void shouldServeSlisAlertsVerdictsAndDriftAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode slis = json.readTree(get("/v1/sli?sli=trace_correlation_rate&scope=global&window=1h").body()).get("slis");
        assertThat(slis).hasSize(1);
        assertThat(slis.get(0).get("good").asLong()).isEqualTo(1);
        assertThat(slis.get(0).get("total").asLong()).isEqualTo(2);
        assertThat(slis.get(0).get("as_of").asLong()).isEqualTo(at(2).toEpochMilli());

        JsonNode alerts = json.readTree(get("/v1/alerts?status=FIRING&kind=REPLAY_FAILED").body()).get("alerts");
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("key").asText()).isEqualTo("replay/sha256:c1");
        assertThat(alerts.get(0).get("runbook").asText()).isEqualTo("docs/runbooks/replay-failed.md");

        HttpResponse<String> verdict = get("/v1/verdicts/replay/a");
        assertThat(verdict.statusCode()).isEqualTo(200);
        assertThat(json.readTree(verdict.body()).get("status").asText()).isEqualTo("MISMATCH");
        HttpResponse<String> missing = get("/v1/verdicts/rebuild/app%40c1%23-");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(missing.body()).get("detail").asText()).contains("app@c1#-");

        JsonNode drift = json.readTree(get("/v1/drift").body()).get("drift");
        assertThat(drift).hasSize(1);
        assertThat(drift.get(0).get("status").asText()).isEqualTo("DRIFTED");

        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }
}
