package dev.repro.serde;

import static dev.repro.serde.RecordFixtures.aBuild;
import static dev.repro.serde.RecordFixtures.aDeployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.DeploymentEvent;

class AvroSerdesTest {

    private final AvroSerdes serdes = AvroSerdes.create();

    static Stream<SpecificRecord> everyRecord() {
        return RecordFixtures.everyRecord().stream();
    }

    @Test
    void shouldHaveAFixtureForEveryContractRecord() {
        // Given
        List<Class<? extends SpecificRecord>> fixtureTypes =
                RecordFixtures.everyRecord().stream().<Class<? extends SpecificRecord>>map(SpecificRecord::getClass).toList();

        // Then
        assertThat(fixtureTypes).containsExactlyInAnyOrderElementsOf(ReproSchemas.recordClasses());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecord")
    void shouldRoundTripEveryContractRecord(SpecificRecord record) {
        // When
        byte[] bytes = serdes.serialize(record);
        SpecificRecord decoded = serdes.deserialize(record.getClass(), bytes);

        // Then
        assertThat(decoded).isEqualTo(record);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecord")
    void shouldWriteTheSingleObjectHeaderWithTheCurrentSchemaFingerprint(SpecificRecord record) {
        // When
        byte[] bytes = serdes.serialize(record);

        // Then
        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
        assertThat(fingerprintOf(bytes)).isEqualTo(ReproSchemas.fingerprint(record.getSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecord")
    void shouldWriteAndReadTheBytesOfAvrosOwnSingleObjectEncoder(SpecificRecord record) throws IOException {
        // Given
        SpecificData model = SpecificData.getForClass(record.getClass());
        byte[] avros = new BinaryMessageEncoder<SpecificRecord>(model, record.getSchema()).encode(record).array();

        // Then
        assertThat(serdes.serialize(record)).isEqualTo(avros);
        assertThat(serdes.deserializeAny(avros)).isEqualTo(record);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecord")
    void shouldDecodeAnyRecordByItsFingerprint(SpecificRecord record) {
        // Given
        byte[] bytes = serdes.serialize(record);

        // When
        SpecificRecord decoded = serdes.deserializeAny(bytes);

        // Then
        assertThat(decoded).isEqualTo(record);
        assertThat(serdes.recordClass(bytes)).isEqualTo(record.getClass());
    }

    @Test
    void shouldRoundTripThroughTheKafkaSerde() {
        // Given
        BuildEvent build = aBuild().build();
        Serde<BuildEvent> serde = serdes.serde(BuildEvent.class);

        // When
        byte[] bytes = serde.serializer().serialize("repro.events.builds", build);
        BuildEvent decoded = serde.deserializer().deserialize("repro.events.builds", bytes);

        // Then
        assertThat(decoded).isEqualTo(build);
        assertThat(bytes).isEqualTo(serdes.serialize(build));
    }

    @Test
    void shouldKeepTheBytesARecordWasReadFromAndWriteThemBackUnchanged() {
        // Given
        byte[] bytes = serdes.serialize(aBuild().build());
        Serde<Encoded<BuildEvent>> serde = serdes.encodedSerde(BuildEvent.class);

        // When
        Encoded<BuildEvent> read = serde.deserializer().deserialize("repro.events.builds", bytes);

        // Then
        assertThat(read.value()).isEqualTo(aBuild().build());
        assertThat(read.bytes()).isSameAs(bytes);
        assertThat(serde.serializer().serialize("repro.events.builds", read)).isSameAs(bytes);
        assertThat(serde.deserializer().deserialize("repro.events.builds", null)).isNull();
        assertThatThrownBy(() -> serde.deserializer().deserialize("repro.events.builds",
                serdes.serialize(aDeployment().build())))
                .isInstanceOf(RecordDecodingException.class).hasMessageContaining("expected a BuildEvent");
    }

    @Test
    void shouldMapNullToNullForTombstones() {
        // Given
        Serde<BuildEvent> serde = serdes.serde(BuildEvent.class);

        // Then
        assertThat(serde.serializer().serialize("repro.events.builds", null)).isNull();
        assertThat(serde.deserializer().deserialize("repro.events.builds", null)).isNull();
        assertThat(serdes.serialize((BuildEvent) null)).isNull();
        assertThat(serdes.deserialize(BuildEvent.class, null)).isNull();
        assertThat(serdes.deserializeAny(null)).isNull();
    }

    @Test
    void shouldRejectBytesWithoutSingleObjectHeader() {
        // Given
        byte[] json = "{\"type\":\"build\"}".getBytes(StandardCharsets.UTF_8);

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageStartingWith("not Avro single-object encoding: first bytes 7b 22");
    }

    @Test
    void shouldRejectAnEmptyValue() {
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, new byte[0]))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessage("not Avro single-object encoding: empty value (0 bytes)");
    }

    @Test
    void shouldRejectATruncatedHeader() {
        // Given
        byte[] bytes = Arrays.copyOf(serdes.serialize(aBuild().build()), 6);

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, bytes))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageStartingWith("truncated header: 6 bytes");
    }

    @Test
    void shouldRejectAnUnknownFingerprint() {
        // Given
        byte[] bytes = withFingerprint(serdes.serialize(aBuild().build()), 0x0123456789abcdefL);

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, bytes))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageStartingWith("unknown schema fingerprint 0x0123456789abcdef");
    }

    @Test
    void shouldRejectATruncatedBody() {
        // Given
        byte[] whole = serdes.serialize(aBuild().build());
        byte[] bytes = Arrays.copyOf(whole, whole.length - 20);

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, bytes))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageStartingWith("truncated body");
    }

    @Test
    void shouldRejectACorruptBody() {
        // Given
        byte[] header = Arrays.copyOf(serdes.serialize(aBuild().build()), 10);
        byte[] bytes = Arrays.copyOf(header, 11);
        bytes[10] = 0x01;

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, bytes))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageStartingWith("corrupt BuildEvent body: ")
                .hasMessageContaining("negative");
    }

    @Test
    void shouldRejectBytesAfterTheRecord() {
        // Given
        byte[] whole = serdes.serialize(aBuild().build());
        byte[] bytes = Arrays.copyOf(whole, whole.length + 3);

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, bytes))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessage("corrupt BuildEvent body: 3 unexpected bytes after the record");
    }

    @Test
    void shouldRejectBytesOfAnotherRecordType() {
        // Given
        byte[] deployment = serdes.serialize(aDeployment().build());

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, deployment))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("wrong record type")
                .hasMessageEndingWith("is a DeploymentEvent, expected a BuildEvent");
    }

    @Test
    void shouldThrowDecodingErrorsFromTheSerdesDeserializer() {
        // Given
        Serde<DeploymentEvent> serde = serdes.serde(DeploymentEvent.class);
        byte[] garbage = {0x00, 0x01, 0x02};

        // Then
        assertThatThrownBy(() -> serde.deserializer().deserialize("repro.events.deployments", garbage))
                .isInstanceOf(RecordDecodingException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessage("not Avro single-object encoding: first bytes 00 01 02 (expected c3 01)");
    }

    @Test
    void shouldRefuseAClassThatIsNotAContractRecord() {
        assertThatThrownBy(() -> serdes.serde(Artifact.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dev.repro.schema.Artifact is not a repro contract record");
    }

    @Test
    void shouldFailClearlyWhenEncodingAnIncompleteRecord() {
        // Given
        BuildEvent incomplete = new BuildEvent();

        // Then
        assertThatThrownBy(() -> serdes.serialize(incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot encode BuildEvent");
    }

    private static long fingerprintOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] withFingerprint(byte[] bytes, long fingerprint) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint);
        return copy;
    }
}
