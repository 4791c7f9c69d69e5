package dev.repro.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MalformedEventsTest {

    private final EventDecoder decoder = new EventDecoder(Limits.defaults());

    static Stream<MalformedEvents.Case> cases() {
        return MalformedEvents.CASES.stream();
    }

    @Test
    void shouldCoverAtLeastFortyDistinctInputs() {
        assertThat(MalformedEvents.CASES).hasSizeGreaterThanOrEqualTo(40);
        assertThat(MalformedEvents.CASES).extracting(MalformedEvents.Case::name).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRefuseNamingTheFieldAndTheRule(MalformedEvents.Case malformed) {
        InvalidEventException refusal = catchThrowableOfType(InvalidEventException.class,
                () -> decode(malformed));

        assertThat(refusal).as("refused").isNotNull();
        assertThat(refusal.field()).isEqualTo(malformed.expectedField());
        assertThat(refusal.code()).isEqualTo(malformed.expectedCode());
        assertThat(refusal.rule()).isNotBlank();
        assertThat(refusal.getMessage()).isEqualTo(refusal.field() + ": " + refusal.rule()).hasSizeLessThan(600);
    }

    private DecodedEvent decode(MalformedEvents.Case malformed) {
        return switch (malformed.endpoint()) {
            case EVENTS -> decoder.decodeEvent(malformed.raw());
            case ATTESTATIONS -> decoder.decodeAttestation(malformed.raw(), java.time.Instant.EPOCH);
        };
    }
}
