package dev.repro.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import dev.repro.app.ReproApp;
import dev.repro.config.ReproConfig;
import dev.repro.streams.DeadLetterHandler;
import dev.repro.streams.StreamsAppRunner;

class DriftDetectorAppTest {

    @Test
    void shouldBeFoundByReproUpAsTheDriftDetectorStartedWithTheOtherStreamApps() {
        assertThat(ServiceLoader.load(ReproApp.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(app -> app instanceof DriftDetectorApp)
                .singleElement()
                .satisfies(app -> {
                    assertThat(app.name()).isEqualTo("drift-detector");
                    assertThat(app.order()).isEqualTo(20);
                });
    }

    @Test
    void shouldRunExactlyOnceWithUndecodableRecordsDeadLetteredUnderItsApplicationId() {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.TOPIC_PREFIX, "acme."));

        Properties props = StreamsAppRunner.properties(config, DriftConfig.from(config).applicationId());

        assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "acme.drift-detector")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName())
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "acme.deadletter");
    }
}
