package dev.repro.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestMetricsTest {

    private static IngestMetrics sample() {
        IngestMetrics metrics = new IngestMetrics(() -> true);
        metrics.accepted("build");
        metrics.accepted("build");
        metrics.accepted("cdevent");
        metrics.rejected("invalid");
        metrics.rejected("too-large");
        metrics.duplicate();
        metrics.archivedOnly();
        metrics.transaction(true);
        metrics.response("/v1/events", 202);
        metrics.response("/v1/events", 400);
        metrics.produceLatency(3_000_000);
        metrics.produceLatency(40_000_000);
        metrics.produceLatency(20_000_000_000L);
        return metrics;
    }

    @Test
    void shouldCountByLabelAndBucketLatenciesCumulatively() {
        String text = sample().render();
        assertThat(text).contains("repro_ingest_events_accepted_total{type=\"build\"} 2")
                .contains("repro_ingest_events_rejected_total{reason=\"too-large\"} 1")
                .contains("repro_ingest_duplicates_total 1")
                .contains("repro_ingest_http_responses_total{path=\"/v1/events\",status=\"400\"} 1")
                .contains("repro_ingest_produce_latency_seconds_bucket{le=\"0.005\"} 1")
                .contains("repro_ingest_produce_latency_seconds_bucket{le=\"0.05\"} 2")
                .contains("repro_ingest_produce_latency_seconds_bucket{le=\"10\"} 2")
                .contains("repro_ingest_produce_latency_seconds_bucket{le=\"+Inf\"} 3")
                .contains("repro_ingest_produce_latency_seconds_count 3")
                .contains("repro_ingest_kafka_ready 1");
    }

    /** Prometheus' own parser: skipped where promtool is not installed (.ci/run installs it). */
    @Test
    void shouldPassPromtoolCheckMetrics(@TempDir Path dir) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed (Debian package prometheus)");
        Path file = Files.writeString(dir.resolve("metrics.txt"), sample().render(), StandardCharsets.UTF_8);
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String output = read(check);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
