package dev.repro.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BenchmarkTest {

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(StageResult.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(StageResult.median(List.of(40.0, 10.0, 20.0, 30.0))).isEqualTo(25.0);
        assertThat(StageResult.median(List.of(7.0))).isEqualTo(7.0);
    }

    @Test
    void stageRatioIsItsMedianOverTheProduceCeiling() {
        List<Trial> trials = List.of(new Trial(1_000, 1_048_576, 1_000_000_000L), new Trial(1_000, 1_048_576, 500_000_000L));
        StageResult result = StageResult.of("s", "g", "builds", trials, 1_048_576, 3_000.0);
        assertThat(result.eventsPerSecond()).isEqualTo(1_500.0);
        assertThat(result.megabytesPerSecond()).isCloseTo(1.5, within(1e-9));
        assertThat(result.ratioToProduceCeiling()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aStreamsTrialIsTimedAfterItsStartAndOverTheRecordsCommittedSince() {
        Trial trial = new Trial(10_000, 1_048_576, 1_000_000_000L, new StreamThreadTime(0.5, 0.3),
                new Trial.Startup(400_000_000L, 2_000));
        assertThat(trial.eventsPerSecond()).as("8,000 records in the timed second").isEqualTo(8_000.0);
        StageResult result = StageResult.of("s", "g", "builds", List.of(trial), 1_048_576, null);
        assertThat(result.records()).isEqualTo(10_000);
        assertThat(result.startupMillis()).isEqualTo(400.0);
        assertThat(StageResult.of("s", "g", "builds", List.of(new Trial(1_000, 1_024, 1_000_000L)), 1_024, null)
                .startupMillis()).as("not a Kafka Streams stage").isNull();
    }

    @Test
    void smallRunMeasuresTheCeilingsAndEveryStageOnARealBrokerAndWritesResultsJson(@TempDir Path out) throws Exception {
        List<String> progress = new ArrayList<>();
        BenchReport report = new Benchmark(new BenchSettings(2_000, 1, 100, 2, out, List.of(300, 600)), progress::add).run();
        Path file = report.write();

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        JsonNode stages = json.get("stages");
        assertThat(stages).extracting(s -> s.get("stage").asText()).containsExactly("broker produce", "streams pass-through",
                "verifier input: broker produce", "verifier input: streams pass-through",
                "verifier input: streams dedupe floor", "verifier catch-up",
                "sli-aggregator input: broker produce", "sli-aggregator input: streams pass-through",
                "sli-aggregator input: streams dedupe floor", "sli-aggregator catch-up",
                "drift-detector input: broker produce", "drift-detector input: streams pass-through",
                "drift-detector input: streams dedupe floor", "drift-detector catch-up",
                "ingest NDJSON (500/batch, 4 clients)", "ingest single POSTs (64 clients)");
        for (JsonNode stage : stages) {
            assertThat(stage.get("records").asLong()).isEqualTo(stage.get("stage").asText().contains("single") ? 500 : 2_000);
            assertThat(stage.get("events_per_second").asDouble()).isPositive();
        }
        assertThat(stages.get(1).get("ratio_to_produce_ceiling").asDouble()).isPositive();
        for (JsonNode stage : stages) {
            String name = stage.get("stage").asText();
            if (name.endsWith("catch-up") || name.startsWith("ingest")) {
                assertThat(stage.get("ratio_to_pass_through_ceiling").asDouble()).as(name).isPositive();
                assertThat(stage.get("ratio_to_produce_ceiling").asDouble()).as(name).isPositive();
            }
            if (name.endsWith("dedupe floor")) {
                assertThat(stage.get("ratio_to_pass_through_ceiling").asDouble()).as(name + ": beside its pass-through")
                        .isPositive();
            }
            if (name.endsWith("catch-up") || name.endsWith("pass-through") || name.endsWith("dedupe floor")) {
                JsonNode threads = stage.get("stream_threads");
                assertThat(threads.get("on_cpu").asDouble()).as(name + ": stream threads worked").isPositive();
                assertThat(threads.get("blocked_on_kafka").asDouble()).as(name + ": and waited for the broker").isPositive();
                // blocked time is added when a blocking call ends, so over this run's short timed stretches only the
                // CPU share, measured exactly, is bounded by the one stream thread's wall time
                assertThat(threads.get("on_cpu").asDouble()).as(name + ": a share of one thread's wall time").isLessThan(1.1);
                assertThat(stage.get("startup_ms").asDouble()).as(name + ": its start, timed apart").isNotNegative();
            } else {
                assertThat(stage.get("stream_threads").isNull()).as(name).isTrue();
                assertThat(stage.get("startup_ms").isNull()).as(name).isTrue();
            }
        }
        assertThat(stages.get(5).get("input").asText()).isEqualTo("builds, runs");
        assertThat(json.get("settings").get("load").get("mix").get("builds").asInt()).isEqualTo(40);
        assertThat(json.get("average_record_bytes").asDouble()).isBetween(500.0, 3_000.0);
        assertThat(progress).anyMatch(line -> line.startsWith("[pass-through ceiling] trial 1/1"));
        assertThat(progress).anyMatch(line -> line.startsWith("[verifier catch-up] trial 1/1")
                && line.contains("stream threads on CPU") && line.contains("blocked on Kafka") && line.contains("started in")
                && line.contains("dedupe floor"));
        assertThat(report.table()).contains("broker produce").contains("streams pass-through");

        JsonNode scale = json.get("scale");
        assertThat(scale).extracting(r -> r.get("app").asText() + "@" + r.get("keys").asInt())
                .containsExactly("verifier@300", "verifier@600", "sli-aggregator@300", "sli-aggregator@600",
                        "drift-detector@300", "drift-detector@600");
        for (JsonNode run : scale) {
            assertThat(run.get("records").asLong()).isEqualTo(run.get("keys").asLong());
            assertThat(run.get("events_per_second").asDouble()).isPositive();
            assertThat(run.get("state_bytes").asLong()).as("state on disk of " + run).isPositive();
        }
        assertThat(report.table()).contains("state on disk");

        JsonNode latency = json.get("end_to_end").get(0);
        assertThat(latency.get("events").asInt()).isEqualTo(2_000);
        assertThat(latency.get("offered_per_second").asDouble()).isEqualTo(1_000.0);
        assertThat(latency.get("retried_after_503").asInt()).as("503s sent again, counted").isBetween(0, 2_000 * 4);
        JsonNode toVerdict = latency.get("to_verdict_ms");
        assertThat(toVerdict.get("p50").asDouble()).isPositive()
                .isLessThanOrEqualTo(toVerdict.get("p95").asDouble());
        assertThat(toVerdict.get("p99").asDouble()).isLessThanOrEqualTo(toVerdict.get("max").asDouble());
        assertThat(toVerdict.get("p50").asDouble()).as("a verdict comes after its POST's answer")
                .isGreaterThan(latency.get("to_answer_ms").get("p50").asDouble());
        assertThat(report.table()).contains("POST → rebuild verdict");
    }

    @Test
    void onlyRunsTheNamedStagesBesidesTheCeilingsAndRefusesAnUnknownOne(@TempDir Path out) throws Exception {
        BenchSettings settings = new BenchSettings(500, 1, 50, 1, out, List.of(), Set.of("drift-detector"),
                BenchSettings.DEFAULT_E2E_RATE);
        Files.createDirectories(settings.stateDir().resolve("bench-drift-detector-1"));
        Files.writeString(settings.stateDir().resolve("bench-drift-detector-1").resolve("left-over"), "from an earlier run");
        BenchReport report = new Benchmark(settings, line -> { }).run();

        assertThat(settings.brokerDir()).as("the broker's data is scratch, removed after the run").doesNotExist();
        assertThat(settings.stateDir()).as("so is the apps' state, and what an earlier run left").doesNotExist();

        assertThat(report.stages()).extracting(StageResult::stage)
                .containsExactly("broker produce", "streams pass-through", "drift-detector input: broker produce",
                        "drift-detector input: streams pass-through",
                "drift-detector input: streams dedupe floor", "drift-detector catch-up");
        assertThat(report.latency()).isEmpty();
        assertThatThrownBy(() -> new BenchSettings(500, 1, 50, 1, out, List.of(), Set.of("verifer"), 1_000))
                .hasMessage("unknown stage 'verifer': the stages are verifier, sli-aggregator, drift-detector, ingest, e2e");
    }
}
