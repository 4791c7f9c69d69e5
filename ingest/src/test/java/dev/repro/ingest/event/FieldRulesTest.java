package dev.repro.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldRulesTest {

    /** The rule as a regular expression and Java's ISO parser: what the hand-written parser must agree with. */
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private static String reference(String value) {
        if (!RFC3339.matcher(value).matches()) {
            return "format";
        }
        try {
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
        } catch (DateTimeParseException e) {
            return "no such date or time";
        }
    }

    private static String parsed(String value) {
        try {
            return FieldRules.time(value, "$.time").toString();
        } catch (InvalidEventException e) {
            assertThat(e.field()).isEqualTo("$.time");
            return e.getMessage().contains("no such date or time") ? "no such date or time" : "format";
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-01T12:00:00Z", "2024-05-01t12:00:00z", "2024-05-01T12:00:00.123456789+02:00",
            "2024-05-01T12:00:00.1-18:00", "2024-02-29T23:59:59+18:00", "0000-01-01T00:00:00Z", "2024-05-01T12:00:00-00:00",
            "2023-02-29T12:00:00Z", "2024-04-31T12:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T23:59:60Z",
            "2024-05-01T12:00:00+18:01", "2024-05-01T12:00:00+19:00", "2024-05-01T12:00:00+02:60", "2024-13-01T12:00:00Z",
            "2024-00-01T12:00:00Z", "2024-05-00T12:00:00Z", "2024-05-01T12:00:00", "2024-05-01 12:00:00Z",
            "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00.1234567890Z", "2024-05-01T12:00Z", "24-05-01T12:00:00Z",
            "2024-05-01T12:00:00+0200", "2024-05-01T12:00:00+02:00 ", " 2024-05-01T12:00:00Z", "2024-05-01T12:00:00ZZ",
            "２０２４-05-01T12:00:00Z", "2024-05-01T12:00:00.12a+02:00", "2024-05-01T12:00:00Z+02:00"})
    void shouldAgreeWithTheIsoParser(String value) {
        assertThat(parsed(value)).isEqualTo(reference(value));
    }

    @Test
    void shouldAgreeWithTheIsoParserOnRandomDateTimes() {
        Random random = new Random(7);
        String alphabet = "0123456789-:.TtZz+ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000),
                    random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
            if (random.nextBoolean()) {
                value.append('.').append(String.valueOf(random.nextLong() & Long.MAX_VALUE), 0, 1 + random.nextInt(11));
            }
            value.append(random.nextInt(3) == 0 ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
                    random.nextInt(20), random.nextInt(62)));
            if (random.nextInt(10) == 0) {
                value.setCharAt(random.nextInt(value.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = value.toString();
            assertThat(parsed(text)).as(text).isEqualTo(reference(text));
        }
    }

    @Test
    void shouldKeepMillisecondsOnly() {
        assertThat(FieldRules.time("2024-05-01T12:00:00.987654321+01:00", "$.time"))
                .isEqualTo(Instant.parse("2024-05-01T11:00:00.987Z"));
    }

    @Test
    void shouldAcceptAUriReferenceAgainFromWhatItRemembersAndStillRefuseABadOne() {
        assertThat(FieldRules.uriReference("https://ci.example.com/job/1", "$.source")).isEqualTo("https://ci.example.com/job/1");
        assertThat(FieldRules.uriReference("https://ci.example.com/job/1", "$.source")).isEqualTo("https://ci.example.com/job/1");
        assertThat(FieldRules.uriReference("/relative/ref", "$.source")).isEqualTo("/relative/ref");
        assertThatThrownBy(() -> FieldRules.uriReference("http://exa mple.com", "$.source"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("must be a URI reference (RFC 3986)")
                .satisfies(e -> assertThat(((InvalidEventException) e).field()).isEqualTo("$.source"));
    }
}
