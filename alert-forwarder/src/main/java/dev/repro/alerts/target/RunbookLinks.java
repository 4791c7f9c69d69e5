package dev.repro.alerts.target;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Turns an alert's {@code runbook} into a link: an absolute http(s) URL stays as it is; a
 * repository path (the sli-aggregator writes {@code docs/runbooks/<kind>.md}) is resolved against
 * the configured base URL (e.g. {@code https://github.com/acme/repro/blob/main/}); without a
 * base, a path has no link and is sent as text.
 */
public final class RunbookLinks {

    private final Optional<URI> base;

    public RunbookLinks(Optional<URI> base) {
        this.base = base.map(RunbookLinks::asDirectory);
    }

    /** The runbook as an absolute http(s) URL, when it is one or can be made one. */
    public Optional<URI> link(String runbook) {
        if (runbook == null || runbook.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(runbook.strip());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.isAbsolute()) {
            return isHttp(uri) ? Optional.of(uri) : Optional.empty();
        }
        return base.map(b -> b.resolve(uri.getRawPath().startsWith("/") ? URI.create(uri.toString().substring(1)) : uri));
    }

    /** The link when there is one, else the runbook as written. */
    public String text(String runbook) {
        return link(runbook).map(URI::toString).orElse(runbook == null ? "" : runbook);
    }

    private static boolean isHttp(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    }

    private static URI asDirectory(URI base) {
        String text = base.toString();
        return text.endsWith("/") ? base : URI.create(text + "/");
    }
}
