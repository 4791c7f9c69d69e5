package dev.repro.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.repro.config.KafkaClientSettings;

/**
 * Builds POSTed one by one to a running ingest at a fixed rate, each timed from when it was due
 * (not from when a busy client got round to sending it, so a stall counts against every event it
 * delays) to when its rebuild verdict can be read with {@code read_committed}: HTTP, the archive
 * transaction, the exactly-once router and the exactly-once verifier, each committing on its own
 * interval. Every build is of a recipe of its own, so the first verdict under its recipe key is
 * its answer.
 */
final class EndToEndLatency {

    private static final int CLIENTS = 32;
    /** POSTs of one event answered 503 at most, the last one included. */
    private static final int ATTEMPTS = 5;

    private final String ingestUrl;
    private final KafkaClientSettings clients;
    private final String verdictTopic;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    EndToEndLatency(String ingestUrl, KafkaClientSettings clients, String verdictTopic, Duration timeout) {
        this.ingestUrl = ingestUrl;
        this.clients = clients;
        this.verdictTopic = verdictTopic;
        this.timeout = timeout;
    }

    LatencyResult measure(List<SampleEvents.PostedBuild> builds, double perSecond, Consumer<String> progress)
            throws InterruptedException {
        int n = builds.size();
        Map<String, Integer> byKey = new ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            byKey.put(builds.get(i).recipeKey(), i);
        }
        long[] due = new long[n];
        long[] answered = new long[n];
        long[] verdict = new long[n];
        AtomicInteger verdicts = new AtomicInteger();
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long interval = (long) (1e9 / perSecond);
        for (int i = 0; i < n; i++) {
            due[i] = t0 + i * interval;
        }

        Thread reader = new Thread(() -> readVerdicts(byKey, verdict, verdicts, n), "bench-e2e-verdicts");
        reader.setDaemon(true);
        reader.start();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        try {
            List<Future<Void>> senders = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                senders.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        long wait = due[i] - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        post(builds.get(i).json(), retried);
                        answered[i] = System.nanoTime();
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<Void> sender : senders) {
                try {
                    sender.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("end-to-end load failed: " + e.getCause().getMessage(), e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("end-to-end load did not finish within " + timeout.toSeconds() + " s");
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            progress.accept(String.format("[end-to-end] %,d events posted in %.1f s%s; waiting for their verdicts …", n, seconds,
                    retried.get() == 0 ? "" : String.format(" (%,d POSTs answered 503 and were sent again)", retried.get())));
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (verdicts.get() < n) {
                reader.interrupt();
                throw new IllegalStateException("only " + verdicts.get() + " of " + n + " verdicts within " + timeout.toSeconds() + " s");
            }
            long[] toVerdict = new long[n];
            long[] toAnswer = new long[n];
            for (int i = 0; i < n; i++) {
                toVerdict[i] = verdict[i] - due[i];
                toAnswer[i] = answered[i] - due[i];
            }
            return new LatencyResult("POST → rebuild verdict", perSecond, n, seconds,
                    LatencyResult.Percentiles.of(toVerdict), LatencyResult.Percentiles.of(toAnswer), retried.get());
        } finally {
            pool.shutdownNow();
            reader.interrupt();
        }
    }

    /**
     * POSTs one event until it is answered 202. A 503 (Kafka did not take it, nothing stored,
     * "retrying is safe") is sent again after a pause, as a CI client would, at most
     * {@value #ATTEMPTS} times in all, and counted; the event's latency still runs from when it
     * was first due. Any other answer fails the run.
     */
    private void post(String json, AtomicInteger retried) throws java.io.IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/events"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                return;
            }
            if (r.statusCode() != 503 || attempt == ATTEMPTS) {
                throw new IllegalStateException("event answered " + r.statusCode()
                        + (attempt > 1 ? " at attempt " + attempt : "") + ": " + r.body());
            }
            retried.incrementAndGet();
            Thread.sleep(Math.min(1_000L, 100L << (attempt - 1)));
        }
    }

    /** Notes when each build's first verdict is readable, until every build has one. */
    private void readVerdicts(Map<String, Integer> byKey, long[] verdict, AtomicInteger verdicts, int n) {
        Map<String, Object> settings = new java.util.HashMap<>(clients.consumer("bench-e2e-verdicts"));
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(verdictTopic).stream()
                    .map(p -> new TopicPartition(verdictTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (verdicts.get() < n && !Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Integer i = byKey.remove(record.key());
                    if (i != null) {
                        verdict[i] = now;
                        verdicts.incrementAndGet();
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }
}
