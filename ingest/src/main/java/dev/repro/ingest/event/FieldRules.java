package dev.repro.ingest.event;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The value rules of CONTRACT section 4: digests, git commits, RFC 3339 times, URIs. They run
 * for every field of every event, on the HTTP threads and again when the archive is routed, so
 * each check is a loop over the characters, and a field's JSON path (a string to build) is asked
 * for only when the value breaks the rule.
 */
final class FieldRules {

    static final String DIGEST_RULE =
            "must be '<algo>:<lowercase hex>' with algo sha256 (64 hex) or sha512 (128 hex)";
    static final String COMMIT_RULE = "must be a git commit: 40 or 64 lowercase hex characters";
    static final String TIME_RULE = "must be an RFC 3339 date-time with a time zone, e.g. 2024-05-01T12:00:00Z";

    /** URI references seen valid lately: sources repeat, and {@link URI}'s parser is slow. */
    private static final Map<String, Boolean> VALID_URIS = new ConcurrentHashMap<>();
    /** At most this many are remembered, each at most {@link #REMEMBERED_URI_LENGTH} characters: 1 MiB or so. */
    private static final int VALID_URIS_KEPT = 4096;
    private static final int REMEMBERED_URI_LENGTH = 256;

    private FieldRules() {
    }

    /** {@code sha256:} + 64 or {@code sha512:} + 128 lowercase hex (a loop: this runs for every digest of every event). */
    static boolean isDigest(String value) {
        if (value.length() == 7 + 64 && value.startsWith("sha256:")) {
            return isLowerHex(value, 7);
        }
        return value.length() == 7 + 128 && value.startsWith("sha512:") && isLowerHex(value, 7);
    }

    static boolean isCommit(String value) {
        return (value.length() == 40 || value.length() == 64) && isLowerHex(value, 0);
    }

    private static boolean isLowerHex(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static String digest(String value, String path) {
        return digest(value, () -> path);
    }

    static String digest(String value, Supplier<String> path) {
        if (!isDigest(value)) {
            throw new InvalidEventException(path.get(), DIGEST_RULE, "digest-format");
        }
        return value;
    }

    static String commit(String value, String path) {
        return commit(value, () -> path);
    }

    static String commit(String value, Supplier<String> path) {
        if (!isCommit(value)) {
            throw new InvalidEventException(path.get(), COMMIT_RULE, "commit-format");
        }
        return value;
    }

    static Instant time(String value, String path) {
        return time(value, () -> path);
    }

    /**
     * Parses an RFC 3339 date-time (section 5.6: {@code 2024-05-01T12:00:00Z}, 'T' and 'Z' in
     * either case, a fraction of 1 to 9 digits, an offset {@code ±hh:mm} of at most 18 h) to an
     * instant truncated to milliseconds (the typed topics' precision). A date or time that does
     * not exist (February 30, 24:00, a leap second) is refused too.
     */
    static Instant time(String value, Supplier<String> path) {
        int end = rfc3339End(value);
        if (end < 0) {
            throw new InvalidEventException(path.get(), TIME_RULE, "time-format");
        }
        try {
            int nanos = 0;
            if (value.charAt(19) == '.') {
                for (int i = 20; i < 29; i++) {
                    nanos = nanos * 10 + (i < end ? value.charAt(i) - '0' : 0);
                }
            }
            char zone = value.charAt(end);
            ZoneOffset offset = zone == 'Z' || zone == 'z' ? ZoneOffset.UTC
                    : ZoneOffset.ofHoursMinutes((zone == '-' ? -1 : 1) * number(value, end + 1, 2),
                            (zone == '-' ? -1 : 1) * number(value, end + 4, 2));
            return LocalDateTime.of(number(value, 0, 4), number(value, 5, 2), number(value, 8, 2),
                            number(value, 11, 2), number(value, 14, 2), number(value, 17, 2), nanos)
                    .toInstant(offset).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeException e) {
            throw new InvalidEventException(path.get(), TIME_RULE + " (no such date or time)", "time-format");
        }
    }

    /**
     * Where the offset of an RFC 3339 date-time starts ({@code Z} or the sign), or -1 when
     * {@code value} does not have the form {@code dddd-dd-ddTdd:dd:dd[.d{1,9}](Z|±dd:dd)}.
     */
    private static int rfc3339End(String value) {
        int n = value.length();
        if (n < 20 || !digits(value, 0, 4) || value.charAt(4) != '-' || !digits(value, 5, 2) || value.charAt(7) != '-'
                || !digits(value, 8, 2) || (value.charAt(10) != 'T' && value.charAt(10) != 't') || !digits(value, 11, 2)
                || value.charAt(13) != ':' || !digits(value, 14, 2) || value.charAt(16) != ':' || !digits(value, 17, 2)) {
            return -1;
        }
        int at = 19;
        if (value.charAt(at) == '.') {
            int first = ++at;
            while (at < n && at - first < 10 && isDigit(value.charAt(at))) {
                at++;
            }
            if (at == first || at - first > 9) {
                return -1;
            }
        }
        if (at == n - 1 && (value.charAt(at) == 'Z' || value.charAt(at) == 'z')) {
            return at;
        }
        boolean offset = at == n - 6 && (value.charAt(at) == '+' || value.charAt(at) == '-') && digits(value, at + 1, 2)
                && value.charAt(at + 3) == ':' && digits(value, at + 4, 2);
        return offset ? at : -1;
    }

    private static boolean digits(String value, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!isDigit(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String value, int from, int count) {
        int number = 0;
        for (int i = from; i < from + count; i++) {
            number = number * 10 + (value.charAt(i) - '0');
        }
        return number;
    }

    static String uriReference(String value, String path) {
        return uriReference(value, () -> path);
    }

    /** A URI or relative URI reference (RFC 3986), as CloudEvents and CDEvents allow for {@code source}. */
    static String uriReference(String value, Supplier<String> path) {
        if (VALID_URIS.containsKey(value)) {
            return value;
        }
        try {
            new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidEventException(path.get(), "must be a URI reference (RFC 3986): " + e.getReason(), "uri-format");
        }
        if (value.length() <= REMEMBERED_URI_LENGTH) {
            if (VALID_URIS.size() >= VALID_URIS_KEPT) {
                VALID_URIS.clear();
            }
            VALID_URIS.put(value, Boolean.TRUE);
        }
        return value;
    }

    /** Refuses '/' in a part of a '/'-separated key, which would make the key ambiguous. */
    static String keyPart(String value, String path) {
        return keyPart(value, () -> path);
    }

    static String keyPart(String value, Supplier<String> path) {
        if (value.indexOf('/') >= 0) {
            throw new InvalidEventException(path.get(), "must not contain '/' (it separates the parts of the record key)",
                    "key-separator");
        }
        return value;
    }
}
