package dev.repro.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.repro.config.ReproConfig;
import dev.repro.testkit.Eventually;

/** Starts forwarders for the integration tests: loopback HTTP on a free port, fast retries, ready before use. */
public final class Forwarders {

    private static final Pattern SAMPLE = Pattern.compile("^(\\w+(?:\\{[^}]*\\})?) (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Forwarders() {
    }

    /** A forwarder of group {@code groupId} with {@code settings} on top of the test defaults, once it is consuming. */
    public static AlertForwarderApp.Running start(ReproConfig kafka, String groupId, Map<String, String> settings)
            throws Exception {
        ReproConfig config = kafka.with(ForwarderSettings.BIND, "127.0.0.1:0")
                .with(ForwarderSettings.GROUP_ID, groupId)
                .with(ForwarderSettings.BACKOFF_INITIAL, "50ms")
                .with(ForwarderSettings.BACKOFF_MAX, "1s")
                .with(ForwarderSettings.REQUEST_TIMEOUT, "2s");
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            config = config.with(setting.getKey(), setting.getValue());
        }
        AlertForwarderApp.Running running = new AlertForwarderApp().start(config);
        Eventually.await("the forwarder of " + groupId + " to join its group", Duration.ofSeconds(60), running::isReady);
        return running;
    }

    /** The forwarder's {@code /metrics} as {@code name{labels}} → value. */
    public static Map<String, Double> metrics(AlertForwarderApp.Running forwarder) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(forwarder.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + forwarder.url() + "/metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                samples.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return samples;
    }

    /** One sample of the forwarder's metrics, 0 when absent. */
    public static double metric(AlertForwarderApp.Running forwarder, String sample) {
        return metrics(forwarder).getOrDefault(sample, 0.0);
    }

    /**
     * Waits until a counter reaches {@code expected}, then asserts it did not pass it. The forwarder counts a delivery
     * after it read the target's answer, so a receiver can hold a request before the counter moves.
     */
    public static void assertCounterReaches(AlertForwarderApp.Running forwarder, String sample, double expected)
            throws Exception {
        Eventually.await(sample + " to reach " + expected, Duration.ofSeconds(30), () -> metric(forwarder, sample) >= expected);
        assertThat(metric(forwarder, sample)).as(sample).isEqualTo(expected);
    }
}
