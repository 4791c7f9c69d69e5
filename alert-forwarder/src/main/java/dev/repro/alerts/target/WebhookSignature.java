package dev.repro.alerts.target;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.repro.alerts.Secret;

/**
 * The webhook body signature, in the scheme ingest checks and GitHub webhooks use:
 * {@code X-Repro-Signature-256: sha256=<lowercase hex HMAC-SHA256 of the exact body bytes>}.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Repro-Signature-256";

    private WebhookSignature() {
    }

    /** {@code sha256=<hex>} of {@code body} with {@code secret}. */
    public static String sign(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
