package dev.repro.ingest.event;

import java.util.Objects;

/**
 * An event that ingest refuses: which field broke which rule. The message is
 * {@code "<field>: <rule>"}, e.g. {@code "artifact.digest: must be '<algo>:<lowercase hex>' ..."}.
 *
 * <p>{@link #field()} is a JSON path relative to the body ({@code artifact.digest},
 * {@code materials[2].digest}), {@code $} for the body as a whole, or the name of the HTTP header
 * at fault ({@code ce-specversion}). Fields inside an embedded document are prefixed with where it
 * was found ({@code payload.subject[0].digest} for a DSSE envelope, {@code data.context.type} for a
 * structured CloudEvent). {@link #rule()} says in words what was expected; {@link #code()} is a
 * short stable name of the rule ({@code digest-format}, {@code missing-field}, ...) for metrics and
 * {@code RejectedEvent.rule}.
 */
public final class InvalidEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;
    private final String code;

    public InvalidEventException(String field, String rule, String code) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(rule, "rule"), null, false, false);
        this.field = field;
        this.rule = rule;
        this.code = Objects.requireNonNull(code, "code");
    }

    /** JSON path of the offending field, {@code $} for the whole body, or a header name. */
    public String field() {
        return field;
    }

    /** What the field must be, in words. */
    public String rule() {
        return rule;
    }

    /** Short kebab-case name of the rule broken, e.g. {@code digest-format}. */
    public String code() {
        return code;
    }
}
