package dev.repro.alerts.target;

import java.net.URI;
import java.util.List;

import dev.repro.alerts.Secret;

/**
 * Keeps credentials out of logs and dead letters: URLs are shown by origin only (a webhook URL's
 * path or query may itself be the secret, as with chat webhooks), and a response body excerpt is
 * one bounded line with every configured secret masked.
 */
public final class Redaction {

    /** Longest response body excerpt kept, in characters. */
    public static final int EXCERPT_LENGTH = 300;

    private final List<Secret> secrets;

    public Redaction(List<Secret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** {@code https://host:port/...}: scheme, host and port; no user info, path or query. */
    public static String origin(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/") ? "" : "/...";
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path
                + (uri.getRawQuery() == null ? "" : "?...");
    }

    /** The start of {@code body} on one line, with every secret masked. */
    public String excerpt(String body) {
        String text = mask(body == null ? "" : body).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH) + "...";
    }

    /** {@code text} with every secret replaced by {@code ******}. */
    public String mask(String text) {
        String masked = text;
        for (Secret secret : secrets) {
            masked = masked.replace(secret.reveal(), "******");
        }
        return masked;
    }
}
