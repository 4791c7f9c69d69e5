package dev.repro.serde;

import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;

/**
 * A contract record with the bytes it was read from (single-object encoding, under whichever
 * writer schema wrote them), for a processor that stores or forwards the record as it came:
 * it copies {@link #bytes} instead of encoding {@link #value} again. Read through
 * {@link AvroSerdes#encodedSerde}.
 *
 * @param value the decoded record
 * @param bytes its encoding; not to be changed
 */
public record Encoded<T extends SpecificRecord>(T value, byte[] bytes) {

    public Encoded {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(bytes, "bytes");
    }
}
