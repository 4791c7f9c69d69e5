package dev.repro.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RequestAuthenticatorTest {

    private static final byte[] BODY = "{\"type\":\"build\"}".getBytes(StandardCharsets.UTF_8);
    private static final String TOKEN = "tok-github-0123456789";
    private static final byte[] SECRET = "hmac-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final RequestAuthenticator auth = new RequestAuthenticator(Map.of(TOKEN, "github"), Map.of("jenkins", SECRET));

    @Test
    void shouldLetEverythingThroughWhenNoCredentialsAreConfigured() {
        RequestAuthenticator open = new RequestAuthenticator(Map.of(), Map.of());
        assertThat(open.required()).isFalse();
        assertThat(open.check(null, null, BODY).allowed()).isTrue();
    }

    @Test
    void shouldAcceptAConfiguredBearerTokenAndNameItsSource() {
        RequestAuthenticator.Verdict verdict = auth.check("Bearer " + TOKEN, null, BODY);
        assertThat(verdict.allowed()).isTrue();
        assertThat(verdict.principal()).isEqualTo("github");
    }

    @Test
    void shouldAcceptAValidBodySignature() {
        String signature = "sha256=" + HexFormat.of().formatHex(RequestAuthenticator.hmac(SECRET, BODY));
        RequestAuthenticator.Verdict verdict = auth.check(null, signature, BODY);
        assertThat(verdict.allowed()).isTrue();
        assertThat(verdict.principal()).isEqualTo("jenkins");
    }

    @Test
    void shouldAnswer401WhenNoCredentialIsPresented() {
        RequestAuthenticator.Verdict verdict = auth.check(null, null, BODY);
        assertThat(verdict.problem().status()).isEqualTo(401);
        assertThat(verdict.problem().detail()).contains("Authorization: Bearer").contains("X-Repro-Signature-256");
    }

    @Test
    void shouldAnswer403ForAWrongTokenOrSignatureWithoutEchoingIt() {
        RequestAuthenticator.Verdict wrongToken = auth.check("Bearer not-the-token-xxxxxxxx", null, BODY);
        assertThat(wrongToken.problem().status()).isEqualTo(403);
        assertThat(wrongToken.problem().detail()).doesNotContain("not-the-token").doesNotContain(TOKEN);

        String signedOtherBody = "sha256=" + HexFormat.of().formatHex(RequestAuthenticator.hmac(SECRET, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(auth.check(null, signedOtherBody, BODY).problem().status()).isEqualTo(403);
        assertThat(auth.check(null, "sha256=zz-not-hex", BODY).problem().status()).isEqualTo(403);
        assertThat(auth.check(null, "md5=abcd", BODY).problem().status()).isEqualTo(403);
        assertThat(auth.check("Basic dXNlcjpwYXNz", null, BODY).problem().status()).isEqualTo(403);
    }
}
