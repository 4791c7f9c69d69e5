package dev.repro.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

class CanonicalJsonTest {

    private final BoundedJsonReader reader = new BoundedJsonReader(Limits.defaults());

    private String canonical(String json) {
        JsonNode node = reader.read(json.getBytes(StandardCharsets.UTF_8), "", 1 << 20);
        return new String(CanonicalJson.canonicalize(node), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCanonicalizeTheRfc8785Example() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }
                """;

        assertThat(canonical(input)).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void shouldSortKeysByUtf16CodeUnits() {
        // RFC 8785 section 3.2.3: the surrogate pair of U+1F600 sorts before U+FB33.
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";

        assertThat(canonical(input)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void shouldEscapeOnlyWhatJcsEscapes() {
        assertThat(canonical("[\"\\u0001\\b\\f\\t\\u001f \\u2028 <>&'\\u007f\"]"))
                .isEqualTo("[\"\\u0001\\b\\f\\t\\u001f \u2028 <>&'\u007f\"]");
    }

    @Test
    void shouldRefuseLoneSurrogatesAndNumbersBeyondDoubles() {
        assertThatThrownBy(() -> canonical("{\"a\":[\"\\ud800\"]}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("a[0]: must not contain a lone UTF-16 surrogate (RFC 8785 canonical JSON)");
        assertThatThrownBy(() -> canonical("{\"big\":1e400}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("big: must be a number that fits an IEEE 754 double");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
        "0000000000000000 0", "8000000000000000 0", "0000000000000001 5e-324", "8000000000000001 -5e-324",
        "7fefffffffffffff 1.7976931348623157e+308", "4340000000000000 9007199254740992",
        "c340000000000000 -9007199254740992", "4430000000000000 295147905179352830000",
        "44b52d02c7e14af5 9.999999999999997e+22", "44b52d02c7e14af6 1e+23", "44b52d02c7e14af7 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e 999999999999999700000", "444b1ae4d6e2ef4f 999999999999999900000", "444b1ae4d6e2ef50 1e+21",
        "3eb0c6f7a0b5ed8c 9.999999999999997e-7", "3eb0c6f7a0b5ed8d 0.000001", "41b3de4355555553 333333333.3333332",
        "41b3de4355555554 333333333.33333325", "41b3de4355555555 333333333.3333333", "41b3de4355555556 333333333.3333334",
        "41b3de4355555557 333333333.33333343", "becbf647612f3696 -0.0000033333333333333333",
        "43143ff3c1cb0959 1424953923781206.2"})
    void shouldFormatTheRfc8785NumberSamples(String bits, String expected) {
        assertThat(CanonicalJson.formatNumber(Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(bits)))).isEqualTo(expected);
    }

    @Test
    void shouldFormatNumbersExactlyAsEcmaScriptDoes() throws IOException {
        // 4000 random doubles with the output of Node.js, generated once (src/test/resources/jcs).
        int checked = 0;
        try (InputStream in = getClass().getResourceAsStream("/jcs/ecmascript-numbers.txt");
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                double value = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(parts[0]));
                assertThat(CanonicalJson.formatNumber(value)).as("bits %s", parts[0]).isEqualTo(parts[1]);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(3900);
    }
}
