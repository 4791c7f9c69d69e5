package dev.repro.serde;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * Reads the header of Avro single-object encoding: {@code C3 01}, then the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer schema, then the body.
 */
final class SingleObjectHeader {

    static final int LENGTH = 10;

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int SHOWN_BYTES = 8;

    private SingleObjectHeader() {
    }

    /** The writer schema's fingerprint, or a {@link RecordDecodingException} saying what is wrong with the header. */
    static long fingerprint(byte[] bytes) {
        if (bytes.length == 0) {
            throw new RecordDecodingException("not Avro single-object encoding: empty value (0 bytes)");
        }
        if (bytes.length < 2 || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new RecordDecodingException("not Avro single-object encoding: first bytes " + firstBytes(bytes)
                    + " (expected c3 01)");
        }
        if (bytes.length < LENGTH) {
            throw new RecordDecodingException("truncated header: " + bytes.length
                    + " bytes, a single-object header needs " + LENGTH + " (c3 01 and an 8-byte schema fingerprint)");
        }
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The header of a record written with the schema of {@code fingerprint}. */
    static byte[] of(long fingerprint) {
        return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN).put(MARKER_0).put(MARKER_1).putLong(fingerprint)
                .array();
    }

    /** A fingerprint as people read it in messages: {@code 0x} and 16 hex digits. */
    static String hex(long fingerprint) {
        return String.format("0x%016x", fingerprint);
    }

    private static String firstBytes(byte[] bytes) {
        int shown = Math.min(bytes.length, SHOWN_BYTES);
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, shown);
    }
}
