package dev.repro.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts to ingest as a CI script would: the bearer token of {@code REPRO_INGEST_TOKEN} and the
 * {@code X-Repro-Signature-256} HMAC of {@code REPRO_INGEST_HMAC_SECRET} when they are set.
 */
public final class IngestClient {

    /** Where ingest listens unless {@code REPRO_INGEST_URL} or {@code --url} says otherwise. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    private final String baseUrl;
    private final String token;
    private final String hmacSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public IngestClient(String baseUrl, String token, String hmacSecret) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.token = blankToNull(token);
        this.hmacSecret = blankToNull(hmacSecret);
    }

    /** {@code url}, else {@code REPRO_INGEST_URL}, else {@link #DEFAULT_URL}; credentials from the environment. */
    public static IngestClient fromEnvironment(String url) {
        String base = url != null ? url : System.getenv().getOrDefault("REPRO_INGEST_URL", DEFAULT_URL);
        return new IngestClient(base, System.getenv("REPRO_INGEST_TOKEN"), System.getenv("REPRO_INGEST_HMAC_SECRET"));
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** POSTs {@code body} to {@code path}; connection failures and timeouts are thrown as they are. */
    public HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (hmacSecret != null) {
            request.header("X-Repro-Signature-256", "sha256=" + hmac(hmacSecret, body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** {@code GET /readyz} answers 200. */
    public boolean isReady() throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/readyz")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
