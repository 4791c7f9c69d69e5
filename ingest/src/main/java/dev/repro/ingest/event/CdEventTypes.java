package dev.repro.ingest.event;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CDEvent types ingest knows: every {@code <subject>.<predicate>} of CDEvents spec 0.4.x with
 * its event version there, and the version of the same event in spec 0.5.x (one minor higher for
 * every event). A type is valid when its subject and predicate are known and its event version has
 * the major.minor that the event's spec version defines (any patch).
 */
final class CdEventTypes {

    /** The CDEvents spec line an event declares in its context. */
    enum Spec {
        /** Spec 0.4.x: context field {@code version}, subject {@code type} required. */
        V0_4("version", Pattern.compile("0\\.4\\.\\d+(-[0-9A-Za-z.-]+)?")),
        /** Spec 0.5.x: context field {@code specversion}, no subject {@code type}. */
        V0_5("specversion", Pattern.compile("0\\.5\\.\\d+(-[0-9A-Za-z.-]+)?"));

        final String contextField;
        final Pattern versions;

        Spec(String contextField, Pattern versions) {
            this.contextField = contextField;
            this.versions = versions;
        }
    }

    /** A parsed, known CDEvent type. */
    record Type(String name, String subject, String predicate, String eventVersion) {

        /** {@code subject.predicate}, e.g. {@code build.finished}. */
        String event() {
            return subject + "." + predicate;
        }
    }

    private static final Pattern TYPE = Pattern.compile(
            "dev\\.cdevents\\.([a-z]+)\\.([a-z]+)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?");

    /** {@code subject.predicate} to its event major.minor in spec 0.4.x. */
    private static final Map<String, String> SPEC_0_4 = new TreeMap<>();

    /** Subject to the subject {@code type} value of spec 0.4.x. */
    private static final Map<String, String> SUBJECT_TYPES = Map.ofEntries(
            Map.entry("artifact", "artifact"), Map.entry("branch", "branch"), Map.entry("build", "build"),
            Map.entry("change", "change"), Map.entry("environment", "environment"), Map.entry("incident", "incident"),
            Map.entry("pipelinerun", "pipelineRun"), Map.entry("repository", "repository"), Map.entry("service", "service"),
            Map.entry("taskrun", "taskRun"), Map.entry("testcaserun", "testCaseRun"), Map.entry("testoutput", "testOutput"),
            Map.entry("testsuiterun", "testSuiteRun"), Map.entry("ticket", "ticket"));

    static {
        events("0.2", "artifact", "packaged", "published", "signed");
        events("0.1", "artifact", "downloaded", "deleted");
        events("0.2", "branch", "created", "deleted");
        events("0.2", "build", "queued", "started", "finished");
        events("0.2", "change", "abandoned", "merged", "reviewed", "updated");
        events("0.3", "change", "created");
        events("0.2", "environment", "created", "deleted", "modified");
        events("0.2", "incident", "detected", "reported", "resolved");
        events("0.2", "pipelinerun", "queued", "started", "finished");
        events("0.2", "repository", "created", "deleted", "modified");
        events("0.2", "service", "deployed", "published", "removed", "rolledback", "upgraded");
        events("0.2", "taskrun", "started", "finished");
        events("0.2", "testcaserun", "queued", "started", "finished");
        events("0.1", "testcaserun", "skipped");
        events("0.2", "testoutput", "published");
        events("0.2", "testsuiterun", "queued", "started", "finished");
        events("0.1", "ticket", "closed", "created", "updated");
    }

    private CdEventTypes() {
    }

    private static void events(String majorMinor, String subject, String... predicates) {
        for (String predicate : predicates) {
            SPEC_0_4.put(subject + "." + predicate, majorMinor);
        }
    }

    /** The event version major.minor that {@code spec} defines for {@code subject.predicate}, or null. */
    static String majorMinor(String event, Spec spec) {
        String in04 = SPEC_0_4.get(event);
        if (in04 == null) {
            return null;
        }
        if (spec == Spec.V0_4) {
            return in04;
        }
        int dot = in04.indexOf('.');
        return in04.substring(0, dot) + "." + (Integer.parseInt(in04.substring(dot + 1)) + 1);
    }

    /** The expected subject {@code type} of a spec 0.4.x event about {@code subject}. */
    static String subjectType(String subject) {
        return SUBJECT_TYPES.get(subject);
    }

    /** Whether {@code type} looks like a CDEvent type at all (starts with {@code dev.cdevents.}). */
    static boolean isCdEventType(String type) {
        return type.startsWith("dev.cdevents.");
    }

    /** Parses and checks a CDEvent type against the spec the event declares. */
    static Type parse(String type, Spec spec, String path) {
        Matcher matcher = TYPE.matcher(type);
        if (!matcher.matches()) {
            throw new InvalidEventException(path, "must be a CDEvent type 'dev.cdevents.<subject>.<predicate>.<major.minor.patch>'",
                    "unknown-type");
        }
        String event = matcher.group(1) + "." + matcher.group(2);
        String expected = majorMinor(event, spec);
        if (expected == null) {
            throw new InvalidEventException(path, "unknown CDEvent '" + event + "': not an event of CDEvents 0.4.x or 0.5.x",
                    "unknown-type");
        }
        String majorMinor = matcher.group(3) + "." + matcher.group(4);
        if (!majorMinor.equals(expected)) {
            throw new InvalidEventException(path, "event version " + majorMinor + "." + matcher.group(5) + " of " + event
                    + " does not belong to CDEvents " + (spec == Spec.V0_4 ? "0.4.x" : "0.5.x") + ", which defines "
                    + expected + ".x", "unknown-type");
        }
        return new Type(type, matcher.group(1), matcher.group(2), majorMinor + "." + matcher.group(5));
    }
}
