package dev.repro.ingest.event;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON Canonicalization Scheme (RFC 8785, JCS): object members sorted by the UTF-16 code units
 * of their names, no whitespace, strings with minimal escaping, numbers as ECMAScript formats an
 * IEEE 754 double ({@code Number.prototype.toString}), UTF-8 output.
 */
final class CanonicalJson {

    private static final HexFormat HEX = HexFormat.of();

    private CanonicalJson() {
    }

    /** The canonical UTF-8 bytes of {@code value}. */
    static byte[] canonicalize(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sha256:<hex>} of the canonical form of {@code value}. */
    static String sha256(JsonNode value) {
        return "sha256:" + sha256Hex(canonicalize(value));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void write(JsonNode value, StringBuilder out, String path) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = value.fieldNames(); it.hasNext();) {
                    names.add(it.next());
                }
                names.sort(String::compareTo); // String.compareTo compares UTF-16 code units, as RFC 8785 section 3.2.3 asks
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    String name = names.get(i);
                    writeString(name, out, JsonPaths.member(path, name));
                    out.append(':');
                    write(value.get(name), out, JsonPaths.member(path, name));
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(value.get(i), out, JsonPaths.item(path, i));
                }
                out.append(']');
            }
            case STRING -> writeString(value.textValue(), out, path);
            case NUMBER -> {
                double number = JsonObject.toDouble(value);
                if (!Double.isFinite(number)) {
                    throw new InvalidEventException(JsonPaths.shown(path),
                            "must be a number that fits an IEEE 754 double (RFC 8785 canonical JSON)", "number-range");
                }
                out.append(formatNumber(number));
            }
            case BOOLEAN -> out.append(value.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getNodeType());
        }
    }

    private static void writeString(String text, StringBuilder out, String path) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new InvalidEventException(JsonPaths.shown(path),
                                "must not contain a lone UTF-16 surrogate (RFC 8785 canonical JSON)", "string-encoding");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * ECMAScript {@code Number.prototype.toString(10)} of a finite double (ECMA-262 section
     * 6.1.6.1.20): the shortest decimal digits that round-trip, then plain or exponent notation.
     */
    static String formatNumber(double value) {
        if (value == 0) {
            return "0"; // also -0
        }
        if (value < 0) {
            return "-" + formatNumber(-value);
        }
        BigDecimal digits = shortestRoundTrip(value);
        String s = digits.unscaledValue().toString();
        // strip trailing zeros of the digit string (unscaled value may carry them)
        int k = s.length();
        while (k > 1 && s.charAt(k - 1) == '0') {
            k--;
        }
        int trailing = s.length() - k;
        s = s.substring(0, k);
        // value = s * 10^(n - k)
        int n = k - digits.scale() + trailing;
        StringBuilder out = new StringBuilder();
        if (k <= n && n <= 21) {
            out.append(s);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(s);
        } else {
            int exponent = n - 1;
            out.append(s.charAt(0));
            if (k > 1) {
                out.append('.').append(s, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    /**
     * The decimal with the fewest significant digits that parses back to {@code value}; among
     * those of that length, the closest to {@code value}.
     */
    private static BigDecimal shortestRoundTrip(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downOk = Double.parseDouble(down.toString()) == value;
            boolean upOk = Double.parseDouble(up.toString()) == value;
            if (downOk && upOk) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                if (cmp < 0) {
                    return down;
                }
                if (cmp > 0) {
                    return up;
                }
                // a tie: take the even last digit
                return down.unscaledValue().testBit(0) ? up : down;
            }
            if (downOk) {
                return down;
            }
            if (upOk) {
                return up;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }
}
