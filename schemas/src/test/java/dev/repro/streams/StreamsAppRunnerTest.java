package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.repro.config.ReproConfig;

class StreamsAppRunnerTest {

    @TempDir
    Path tmp;

    @Test
    void shouldConfigureExactlyOnceTheDeadLetterHandlerAndTheStateDir() {
        ReproConfig config = ReproConfig.of(Map.of("REPRO_TOPIC_PREFIX", "acme.", StreamsAppRunner.STATE_DIR, tmp.toString()));

        Properties props = StreamsAppRunner.properties(config, "acme-verifier");

        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("acme-verifier");
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetterHandler.class.getName());
        assertThat(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("acme.deadletter");
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(tmp.toAbsolutePath().toString());
    }

    @Test
    void shouldLetAKafkaOverrideWin() {
        ReproConfig config = ReproConfig.of(Map.of("KAFKA_STATE_DIR", "/elsewhere", "KAFKA_NUM_STREAM_THREADS", "2"));

        Properties props = StreamsAppRunner.properties(config, "app");

        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/elsewhere");
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo("2");
    }

    @Test
    void shouldKeepStateUnderTheReproHomeByDefault() {
        assertThat(StreamsAppRunner.stateDir(ReproConfig.of(Map.of())))
                .isEqualTo(Path.of(".repro", "state").toAbsolutePath().normalize());
        assertThat(StreamsAppRunner.stateDir(ReproConfig.of(Map.of(StreamsAppRunner.HOME, tmp.toString()))))
                .isEqualTo(tmp.resolve("state").toAbsolutePath());
    }

    @Test
    void shouldNotBeReadyAndStillCloseWithinItsTimeoutWhenNoBrokerAnswers() throws Exception {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                StreamsAppRunner.STATE_DIR, tmp.toString()));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in-source"))
                .to("out", Produced.with(Serdes.String(), Serdes.String()).withName("out-sink"));
        Properties props = StreamsAppRunner.properties(config, "unreachable-app");

        StreamsAppRunner app = StreamsAppRunner.start("unreachable", builder.build(), props, List.of("in → out"),
                Duration.ofSeconds(10));
        assertThat(app.awaitReady(Duration.ofMillis(500))).isFalse();
        assertThat(app.endpoints()).containsExactly("in → out");
        long t0 = System.nanoTime();
        app.close();

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(app.state()).isIn(KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN);
        assertThat(app.isReady()).isFalse();
    }
}
