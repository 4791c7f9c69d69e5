package dev.repro.ingest.event;

/** Builds the JSON paths that errors name: {@code artifact.digest}, {@code materials[2].digest}. */
final class JsonPaths {

    /** The path of the body as a whole. */
    static final String ROOT = "$";

    private static final int MAX_SHOWN_NAME = 64;

    private JsonPaths() {
    }

    static String member(String parent, String name) {
        String shown = name.length() > MAX_SHOWN_NAME ? name.substring(0, MAX_SHOWN_NAME) + "..." : name;
        return parent.isEmpty() || parent.equals(ROOT) ? shown : parent + "." + shown;
    }

    static String item(String parent, int index) {
        return (parent.isEmpty() ? ROOT : parent) + "[" + index + "]";
    }

    /** {@code $} for the empty (root) path, the path otherwise. */
    static String shown(String path) {
        return path.isEmpty() ? ROOT : path;
    }
}
