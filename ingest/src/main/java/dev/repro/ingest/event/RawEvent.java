package dev.repro.ingest.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One event exactly as it arrived: the bytes of the body (for an NDJSON request, one line), the
 * media type it was sent with ({@code null} when the client sent none) and the request headers
 * that matter for decoding (the CloudEvents {@code ce-*} headers of binary mode). Header names are
 * lower-case; the constructor lower-cases them so callers cannot get this wrong.
 */
public record RawEvent(byte[] body, String contentType, Map<String, String> headers) {

    public RawEvent {
        Objects.requireNonNull(body, "body");
        TreeMap<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        }
        headers = java.util.Collections.unmodifiableMap(lower);
    }

    /** A body with a media type and no headers. */
    public static RawEvent of(byte[] body, String contentType) {
        return new RawEvent(body, contentType, Map.of());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawEvent that
                && Arrays.equals(body, that.body)
                && Objects.equals(contentType, that.contentType)
                && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(body), contentType, headers);
    }

    @Override
    public String toString() {
        return "RawEvent[" + body.length + " bytes, contentType=" + contentType + ", headers=" + headers.keySet() + "]";
    }
}
