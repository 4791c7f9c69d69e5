package dev.repro.sli;

import dev.repro.schema.AlertKind;

/** The runbook of each alert kind: a repository path, relative to the repository root. */
public final class Runbooks {

    private Runbooks() {
    }

    public static String of(AlertKind kind) {
        return "docs/runbooks/" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".md";
    }
}
