package dev.repro.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Offered load on a running ingest over real HTTP with keep-alive: NDJSON batches from a few
 * clients, or single-event POSTs from many. A trial counts only events answered {@code 202};
 * anything else fails it, so a rate is never reported for events that were not stored.
 */
final class IngestLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final Duration timeout;

    IngestLoad(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    /** Posts {@code events} as NDJSON bodies of {@code batchSize} lines from {@code clients} concurrent clients. */
    Trial ndjson(List<String> events, int batchSize, int clients) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < events.size(); i += batchSize) {
            String body = String.join("\n", events.subList(i, Math.min(events.size(), i + batchSize))) + "\n";
            bytes += body.length();
            bodies.add(body);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        long t0 = System.nanoTime();
        run(clients, () -> {
            for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                HttpResponse<String> r = post("application/x-ndjson", bodies.get(i));
                if (r.statusCode() != 207) {
                    throw new IllegalStateException("NDJSON batch answered " + r.statusCode() + ": " + r.body());
                }
                for (JsonNode line : JSON.readTree(r.body())) {
                    if (line.path("status").asInt() != 202) {
                        throw new IllegalStateException("NDJSON line answered " + line);
                    }
                    accepted.incrementAndGet();
                }
            }
            return null;
        });
        return new Trial(accepted.get(), bytes, System.nanoTime() - t0);
    }

    /** Posts each event alone, from {@code clients} concurrent keep-alive clients. */
    Trial single(List<String> events, int clients) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        long bytes = events.stream().mapToLong(String::length).sum();
        long t0 = System.nanoTime();
        run(clients, () -> {
            for (int i = next.getAndIncrement(); i < events.size(); i = next.getAndIncrement()) {
                HttpResponse<String> r = post("application/json", events.get(i));
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("event answered " + r.statusCode() + ": " + r.body());
                }
                accepted.incrementAndGet();
            }
            return null;
        });
        return new Trial(accepted.get(), bytes, System.nanoTime() - t0);
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/events")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void run(int clients, java.util.concurrent.Callable<Void> client) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(pool.submit(client));
            }
            for (Future<Void> f : running) {
                try {
                    f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("ingest load failed: " + e.getCause().getMessage(), e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("ingest load did not finish within " + timeout.toSeconds() + " s");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
