package dev.repro.alerts.target;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends {@link OutboundRequest}s over HTTP/1.1 without blocking the caller, and says what the
 * answer means for delivery: 2xx accepted; no connection, no answer within the request timeout,
 * 408, 429 and 5xx retryable (with the target's {@code Retry-After}); any other status refused,
 * with the start of the response body. Never fails its future: every error is an outcome.
 *
 * <p>User info in a target URL ({@code https://user:password@host/…}) is sent as HTTP Basic
 * authentication, not in the request line. At most {@value #MAX_BODY_READ} bytes of an answer are read.
 */
public final class TargetClient implements AutoCloseable {

    static final int MAX_BODY_READ = 4096;
    private static final String USER_AGENT = "repro-alert-forwarder";

    private final HttpClient http;
    private final ExecutorService readers;
    private final Duration requestTimeout;
    private final Redaction redaction;
    private final Clock clock;

    public TargetClient(Duration connectTimeout, Duration requestTimeout, Redaction redaction, Clock clock) {
        this.requestTimeout = requestTimeout;
        this.redaction = redaction;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "alert-forwarder-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Posts {@code request}; completes with how the target answered. */
    public CompletableFuture<DeliveryOutcome> send(OutboundRequest request) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(withoutUserInfo(request.uri()));
        } catch (URISyntaxException e) {
            return CompletableFuture.completedFuture(new DeliveryOutcome.Refused(0, "not a valid URL: " + e.getReason()));
        }
        builder.timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        basicAuthorization(request.uri()).ifPresent(value -> builder.header("Authorization", value));
        request.headers().forEach(builder::header);
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream())
                .thenApplyAsync(this::classify, readers)
                .exceptionally(this::failure);
    }

    private DeliveryOutcome classify(HttpResponse<InputStream> response) {
        int status = response.statusCode();
        String body = read(response.body());
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Accepted(status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            String excerpt = redaction.excerpt(body);
            return new DeliveryOutcome.Retryable("HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt),
                    retryAfter(response.headers().firstValue("Retry-After")));
        }
        return new DeliveryOutcome.Refused(status, redaction.excerpt(body));
    }

    private DeliveryOutcome failure(Throwable thrown) {
        Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        String reason;
        if (cause instanceof HttpConnectTimeoutException) {
            reason = "could not connect within the connect timeout";
        } else if (cause instanceof HttpTimeoutException) {
            reason = "no answer within " + requestTimeout.toMillis() + " ms";
        } else if (cause instanceof ConnectException) {
            reason = "cannot connect (" + (cause.getMessage() == null ? "connection refused" : cause.getMessage()) + ")";
        } else if (cause instanceof IOException) {
            reason = "I/O error: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        } else {
            reason = "request failed: " + cause;
        }
        return new DeliveryOutcome.Retryable(redaction.mask(reason), Optional.empty());
    }

    /** Seconds, or an HTTP date; absent or unreadable means none. */
    private Optional<Duration> retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String read(InputStream body) {
        try (body) {
            return new String(body.readNBytes(MAX_BODY_READ), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static URI withoutUserInfo(URI uri) throws URISyntaxException {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment());
    }

    private static Optional<String> basicAuthorization(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return Optional.empty();
        }
        String decoded = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
    }

    /** Stops the threads that read answers; requests in flight complete as failures. */
    @Override
    public void close() {
        readers.shutdownNow();
    }
}
