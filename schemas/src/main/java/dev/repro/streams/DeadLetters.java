package dev.repro.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import dev.repro.schema.RejectedEvent;

/**
 * Builds the {@link RejectedEvent} a stream app writes to the dead-letter topic for a record it
 * cannot use: bytes it cannot decode ({@link #UNDECODABLE}), or a well-formed record it refuses
 * for a stated rule (e.g. an event older than the app's state retention).
 */
public final class DeadLetters {

    /** Rule of a record whose bytes are not a valid record of the topic's type. */
    public static final String UNDECODABLE = "undecodable-record";

    private DeadLetters() {
    }

    /** Where a refused record was read from. */
    public record Origin(String topic, int partition, long offset, long timestamp) {
    }

    /**
     * The dead-letter value for {@code raw} read at {@code origin}, refused by {@code rule} for
     * {@code reason}. The id is {@code eventId} when known, else {@code sha256:<hex>} of the bytes.
     */
    public static RejectedEvent rejected(String eventId, String rule, String reason, byte[] raw, Origin origin) {
        byte[] bytes = raw == null ? new byte[0] : raw;
        return RejectedEvent.newBuilder()
                .setId(eventId != null ? eventId : sha256(bytes))
                .setReason(reason == null || reason.isBlank() ? "(no reason given)" : reason)
                .setRule(rule)
                .setRaw(ByteBuffer.wrap(bytes))
                .setReceivedAt(Instant.ofEpochMilli(Math.max(0L, origin.timestamp())))
                .setTopic(origin.topic())
                .setPartition(origin.partition())
                .setOffset(origin.offset())
                .build();
    }

    /** The dead-letter value for a record whose bytes could not be decoded. */
    public static RejectedEvent undecodable(byte[] raw, Throwable failure, Origin origin) {
        return rejected(null, UNDECODABLE, reason(failure), raw, origin);
    }

    /** {@code sha256:<hex>} of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The failure's message and its causes' messages, on one line. */
    static String reason(Throwable failure) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (reason.indexOf(message) < 0) {
                if (reason.length() > 0) {
                    reason.append(": ");
                }
                reason.append(message);
            }
        }
        return reason.toString().replace('\n', ' ').replace('\r', ' ');
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
