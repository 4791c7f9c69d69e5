package dev.repro.ingest.event;

/**
 * Bounds on what one event may contain, checked while parsing (so a hostile body costs bounded
 * memory and stack).
 *
 * @param maxStringLength      longest string value or object key of an event, in UTF-16 chars
 * @param maxArrayItems        most items in one JSON array
 * @param maxMapEntries        most members in one JSON object (labels, environment, metrics... and
 *                             every other object)
 * @param maxDepth             deepest nesting of objects and arrays (the top-level value is depth 1)
 * @param maxNumberLength      longest JSON number literal, in characters
 * @param maxEmbeddedDocumentBytes largest embedded document: a DSSE {@code payload} or a CloudEvent
 *                             {@code data_base64} once base64-decoded, and longest string of an
 *                             attestation (provenance predicates quote whole webhook payloads)
 */
public record Limits(int maxStringLength, int maxArrayItems, int maxMapEntries, int maxDepth, int maxNumberLength,
        int maxEmbeddedDocumentBytes) {

    public Limits {
        positive("maxStringLength", maxStringLength);
        positive("maxArrayItems", maxArrayItems);
        positive("maxMapEntries", maxMapEntries);
        positive("maxDepth", maxDepth);
        positive("maxNumberLength", maxNumberLength);
        positive("maxEmbeddedDocumentBytes", maxEmbeddedDocumentBytes);
        if (maxDepth > 1000) {
            throw new IllegalArgumentException("maxDepth must be at most 1000, was " + maxDepth);
        }
    }

    /**
     * 8192 characters per string, 1000 array items, 1000 object members, depth 32, 100-character
     * numbers, 1 MiB embedded documents (the HTTP layer's body limit).
     */
    public static Limits defaults() {
        return new Limits(8192, 1000, 1000, 32, 100, 1 << 20);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
