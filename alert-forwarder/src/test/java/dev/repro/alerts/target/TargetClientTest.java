package dev.repro.alerts.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.repro.alerts.Secret;
import dev.repro.alerts.TestReceiver;
import dev.repro.alerts.TestReceiver.Answer;

/** What each kind of answer means for delivery, against a real local HTTP server. */
class TargetClientTest {

    private static final String SECRET = "R0123456789abcdefghijklmnopqrstu";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final TestReceiver receiver = TestReceiver.start();
    private final TargetClient client = new TargetClient(Duration.ofSeconds(2), Duration.ofMillis(500),
            new Redaction(List.of(Secret.of(SECRET))), Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() {
        client.close();
        receiver.close();
    }

    private DeliveryOutcome post(URI uri) throws Exception {
        return client.send(new OutboundRequest(uri, Map.of("X-Extra", "1"), "[{\"a\":1}]".getBytes(StandardCharsets.UTF_8)))
                .get(10, TimeUnit.SECONDS);
    }

    private DeliveryOutcome post() throws Exception {
        return post(receiver.url("/hook"));
    }

    @Test
    void shouldAcceptA2xxAndSendTheBodyAsJson() throws Exception {
        assertThat(post()).isEqualTo(new DeliveryOutcome.Accepted(202));

        TestReceiver.Received request = receiver.received().get(0);
        assertThat(request.path()).isEqualTo("/hook");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("[{\"a\":1}]");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("User-Agent")).isEqualTo("repro-alert-forwarder");
        assertThat(request.header("X-Extra")).isEqualTo("1");
    }

    @Test
    void shouldRetryServerErrorsAndThrottlingHonouringRetryAfter() throws Exception {
        receiver.answer(r -> Answer.status(503, "{\"error\":\"maintenance\"}"));
        assertThat(post()).isEqualTo(new DeliveryOutcome.Retryable("HTTP 503: {\"error\":\"maintenance\"}", Optional.empty()));

        receiver.answer(r -> Answer.status(429).withHeader("Retry-After", "7"));
        assertThat(post()).isEqualTo(new DeliveryOutcome.Retryable("HTTP 429", Optional.of(Duration.ofSeconds(7))));

        receiver.answer(r -> Answer.status(429).withHeader("Retry-After", "Sun, 01 Mar 2026 10:00:30 GMT"));
        assertThat(((DeliveryOutcome.Retryable) post()).retryAfter()).contains(Duration.ofSeconds(30));

        receiver.answer(r -> Answer.status(408));
        assertThat(post()).isInstanceOf(DeliveryOutcome.Retryable.class);
    }

    @Test
    void shouldRefuseOther4xxWithAnExcerptThatNeverShowsASecret() throws Exception {
        receiver.answer(r -> Answer.status(400, "{\"status\":\"invalid event\",\n \"echo\":\"" + SECRET + "\",\"pad\":\""
                + "x".repeat(1000) + "\"}"));

        DeliveryOutcome outcome = post();

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Refused.class);
        DeliveryOutcome.Refused refused = (DeliveryOutcome.Refused) outcome;
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.excerpt()).startsWith("{\"status\":\"invalid event\", \"echo\":\"******\"").doesNotContain(SECRET)
                .doesNotContain("\n").hasSize(Redaction.EXCERPT_LENGTH + 3).endsWith("...");
        assertThat(refused.reason()).startsWith("HTTP 400: {\"status\"");
    }

    @Test
    void shouldRetryWhenNobodyListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        DeliveryOutcome outcome = post(URI.create("http://127.0.0.1:" + closedPort + "/hook"));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Retryable.class);
        assertThat(((DeliveryOutcome.Retryable) outcome).reason()).startsWith("cannot connect");
    }

    @Test
    void shouldRetryWhenTheAnswerTakesLongerThanTheRequestTimeout() throws Exception {
        receiver.answer(r -> Answer.status(200).after(Duration.ofSeconds(2)));

        DeliveryOutcome outcome = post();

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Retryable("no answer within 500 ms", Optional.empty()));
    }

    @Test
    void shouldSendUserInfoAsBasicAuthentication() throws Exception {
        URI url = receiver.url("/api/v2/alerts");
        URI withUser = URI.create("http://am:s%3Acret@127.0.0.1:" + url.getPort() + "/api/v2/alerts");

        assertThat(post(withUser)).isEqualTo(new DeliveryOutcome.Accepted(202));

        assertThat(receiver.received().get(0).header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("am:s:cret".getBytes(StandardCharsets.UTF_8)));
    }
}
