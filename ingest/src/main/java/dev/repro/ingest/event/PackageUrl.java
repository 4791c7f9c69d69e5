package dev.repro.ingest.event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of a package URL (purl, {@code pkg:type/namespace/name@version?qualifiers#subpath})
 * that the CDEvents mapping needs. Components are percent-decoded.
 *
 * @param type      package type, lower case ({@code oci}, {@code golang}, {@code npm}...)
 * @param namespace namespace segments joined by '/', or null
 * @param name      the package name
 * @param version   the version, or null; for an OCI image pinned by digest {@code sha256:<hex>}
 */
record PackageUrl(String type, String namespace, String name, String version) {

    /** Parses a purl; {@code null} when {@code text} is not one. */
    static PackageUrl parse(String text) {
        if (text.length() < 4 || !text.regionMatches(true, 0, "pkg:", 0, 4)) {
            return null;
        }
        String rest = text.substring(4);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        String version = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            version = decode(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String type = rest.substring(0, slash).toLowerCase(Locale.ROOT);
        String path = rest.substring(slash + 1);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int lastSlash = path.lastIndexOf('/');
        String name = decode(path.substring(lastSlash + 1));
        if (name == null || name.isEmpty()) {
            return null;
        }
        String namespace = null;
        if (lastSlash > 0) {
            StringBuilder joined = new StringBuilder();
            for (String segment : path.substring(0, lastSlash).split("/")) {
                if (!segment.isEmpty()) {
                    String decoded = decode(segment);
                    if (decoded == null) {
                        return null;
                    }
                    joined.append(joined.length() == 0 ? "" : "/").append(decoded);
                }
            }
            namespace = joined.length() == 0 ? null : joined.toString();
        }
        if (at >= 0 && (version == null || version.isEmpty())) {
            return null;
        }
        return new PackageUrl(type, namespace, name, version);
    }

    /** {@code namespace/name}, or {@code name}: how the artifact is called across versions. */
    String artifactName() {
        return namespace == null ? name : namespace + "/" + name;
    }

    /** Whether the version claims to be a digest ({@code sha256:...} or {@code sha512:...}). */
    boolean versionIsDigest() {
        return version != null && (version.startsWith("sha256:") || version.startsWith("sha512:"));
    }

    /** Percent-decodes one component as UTF-8; null when the escapes are broken. */
    private static String decode(String component) {
        if (component.indexOf('%') < 0) {
            return component;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '%') {
                if (i + 2 >= component.length()) {
                    return null;
                }
                int hi = Character.digit(component.charAt(i + 1), 16);
                int lo = Character.digit(component.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                int codePoint = component.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
