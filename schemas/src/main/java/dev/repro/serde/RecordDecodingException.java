package dev.repro.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a repro record in Avro single-object encoding: no {@code C3 01} header,
 * an unknown schema fingerprint, a fingerprint of another record type, or a truncated or
 * corrupt body. The message says which, so a dead-letter record can carry it as its reason.
 *
 * <p>A Kafka {@link SerializationException}, so Kafka clients and the Streams
 * deserialization exception handler treat it as the deserialization failure it is.
 */
public class RecordDecodingException extends SerializationException {

    public RecordDecodingException(String message) {
        super(message);
    }

    public RecordDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
