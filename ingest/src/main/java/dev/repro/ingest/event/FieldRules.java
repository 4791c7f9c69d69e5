package dev.repro.ingest.event;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/** The value rules of CONTRACT section 4: digests, git commits, RFC 3339 times, URIs. */
final class FieldRules {

    static final String DIGEST_RULE =
            "must be '<algo>:<lowercase hex>' with algo sha256 (64 hex) or sha512 (128 hex)";
    static final String COMMIT_RULE = "must be a git commit: 40 or 64 lowercase hex characters";
    static final String TIME_RULE = "must be an RFC 3339 date-time with a time zone, e.g. 2024-05-01T12:00:00Z";

    // RFC 3339 section 5.6 date-time; 'T'/'Z' may be lower case (section 5.6 note), fractions up to ns.
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

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
        if (!isDigest(value)) {
            throw new InvalidEventException(path, DIGEST_RULE, "digest-format");
        }
        return value;
    }

    static String commit(String value, String path) {
        if (!isCommit(value)) {
            throw new InvalidEventException(path, COMMIT_RULE, "commit-format");
        }
        return value;
    }

    /** Parses an RFC 3339 date-time to an instant truncated to milliseconds (the typed topics' precision). */
    static Instant time(String value, String path) {
        if (!RFC3339.matcher(value).matches()) {
            throw new InvalidEventException(path, TIME_RULE, "time-format");
        }
        try {
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(path, TIME_RULE + " (no such date or time)", "time-format");
        }
    }

    /** A URI or relative URI reference (RFC 3986), as CloudEvents and CDEvents allow for {@code source}. */
    static String uriReference(String value, String path) {
        try {
            new URI(value);
            return value;
        } catch (URISyntaxException e) {
            throw new InvalidEventException(path, "must be a URI reference (RFC 3986): " + e.getReason(), "uri-format");
        }
    }

    /** Refuses '/' in a part of a '/'-separated key, which would make the key ambiguous. */
    static String keyPart(String value, String path) {
        if (value.indexOf('/') >= 0) {
            throw new InvalidEventException(path, "must not contain '/' (it separates the parts of the record key)",
                    "key-separator");
        }
        return value;
    }
}
