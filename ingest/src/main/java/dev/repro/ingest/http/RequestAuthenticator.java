package dev.repro.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's credentials: a bearer token ({@code Authorization: Bearer …}) that names a
 * source, or an HMAC-SHA256 signature of the body in {@code X-Repro-Signature-256: sha256=<hex>}
 * (GitHub's webhook convention) made with one of the configured secrets. Every comparison is
 * constant-time; no credential ever appears in a result or a message.
 */
public final class RequestAuthenticator {

    public static final String SIGNATURE_HEADER = "x-repro-signature-256";

    /** The outcome: who sent it, or the 401/403 problem. */
    public record Verdict(String principal, Problem problem) {
        boolean allowed() {
            return problem == null;
        }
    }

    private final Map<String, String> tokens;
    private final Map<String, byte[]> secrets;

    /**
     * @param tokens  bearer token → source name
     * @param secrets source name → HMAC secret
     */
    public RequestAuthenticator(Map<String, String> tokens, Map<String, byte[]> secrets) {
        this.tokens = Map.copyOf(tokens);
        this.secrets = Map.copyOf(secrets);
    }

    public boolean required() {
        return !tokens.isEmpty() || !secrets.isEmpty();
    }

    public Verdict check(String authorization, String signature, byte[] body) {
        if (!required()) {
            return new Verdict("anonymous", null);
        }
        boolean presented = false;
        if (authorization != null && !authorization.isBlank()) {
            presented = true;
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String principal = matchToken(authorization.substring(7).strip());
                if (principal != null) {
                    return new Verdict(principal, null);
                }
            }
        }
        if (signature != null && !signature.isBlank()) {
            presented = true;
            String principal = matchSignature(signature.strip(), body);
            if (principal != null) {
                return new Verdict(principal, null);
            }
        }
        if (!presented) {
            return new Verdict(null, Problem.unauthorized(
                    "send 'Authorization: Bearer <token>' or 'X-Repro-Signature-256: sha256=<hex HMAC of the body>'"));
        }
        return new Verdict(null, Problem.forbidden("the bearer token or the body signature does not match any configured credential"));
    }

    private String matchToken(String presented) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        String match = null;
        // compare against every token, always, so timing does not reveal which one nearly matched
        for (Map.Entry<String, String> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                match = e.getValue();
            }
        }
        return match;
    }

    private String matchSignature(String header, byte[] body) {
        if (!header.startsWith("sha256=")) {
            return null;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        String match = null;
        for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
            if (MessageDigest.isEqual(given, hmac(e.getValue(), body))) {
                match = e.getKey();
            }
        }
        return match;
    }

    /** HMAC-SHA256 of {@code body} with {@code secret}. */
    public static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
