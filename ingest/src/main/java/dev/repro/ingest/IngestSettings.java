package dev.repro.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

/**
 * Ingest's own settings, read and validated once at start-up from {@link ReproConfig}.
 *
 * @param bind              where the HTTP API listens ({@code REPRO_INGEST_BIND}, default 127.0.0.1:8080)
 * @param maxBodyBytes      largest accepted request body ({@code REPRO_INGEST_MAX_BODY_BYTES}, default 1 MiB)
 * @param tokens            bearer token → source name ({@code REPRO_INGEST_TOKENS}: {@code name=token,…})
 * @param hmacSecrets       source name → HMAC-SHA256 secret ({@code REPRO_INGEST_HMAC_SECRETS}: {@code name=secret,…})
 * @param ackTimeout        longest wait for Kafka before answering 503 ({@code REPRO_INGEST_ACK_TIMEOUT_MS}, default 10 s)
 * @param transactionalId   the archive writer's transactional id ({@code REPRO_INGEST_TRANSACTIONAL_ID})
 * @param maxBatch          most events one archive transaction groups ({@code REPRO_INGEST_MAX_BATCH}, default 2000)
 * @param threads           HTTP worker threads ({@code REPRO_INGEST_THREADS}, default 64)
 * @param rememberedIds     accepted ids kept in memory to answer duplicates ({@code REPRO_INGEST_REMEMBERED_IDS}, default 1,000,000)
 * @param dedupeRetention   how long (event time) the router remembers an id to drop a repeat exactly ({@code REPRO_INGEST_DEDUPE_RETENTION_HOURS}, default 168)
 */
public record IngestSettings(InetSocketAddress bind, int maxBodyBytes, Map<String, String> tokens,
                             Map<String, byte[]> hmacSecrets, Duration ackTimeout, String transactionalId,
                             int maxBatch, int threads, int rememberedIds, Duration dedupeRetention) {

    public static final String BIND = "REPRO_INGEST_BIND";
    public static final String MAX_BODY_BYTES = "REPRO_INGEST_MAX_BODY_BYTES";
    public static final String TOKENS = "REPRO_INGEST_TOKENS";
    public static final String HMAC_SECRETS = "REPRO_INGEST_HMAC_SECRETS";
    public static final String ACK_TIMEOUT_MS = "REPRO_INGEST_ACK_TIMEOUT_MS";
    public static final String TRANSACTIONAL_ID = "REPRO_INGEST_TRANSACTIONAL_ID";
    public static final String MAX_BATCH = "REPRO_INGEST_MAX_BATCH";
    public static final String THREADS = "REPRO_INGEST_THREADS";
    public static final String REMEMBERED_IDS = "REPRO_INGEST_REMEMBERED_IDS";
    public static final String DEDUPE_RETENTION_HOURS = "REPRO_INGEST_DEDUPE_RETENTION_HOURS";

    public static IngestSettings from(ReproConfig config) {
        InetSocketAddress bind = bindAddress(config.get(BIND, "127.0.0.1:8080"));
        Map<String, String> tokens = new LinkedHashMap<>();
        pairs(config, TOKENS).forEach((name, token) -> {
            if (token.length() < 16) {
                throw new ConfigException(TOKENS + ": the token of '" + name + "' is shorter than 16 characters");
            }
            if (tokens.put(token, name) != null) {
                throw new ConfigException(TOKENS + ": two sources share one token");
            }
        });
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        pairs(config, HMAC_SECRETS).forEach((name, secret) -> {
            if (secret.length() < 16) {
                throw new ConfigException(HMAC_SECRETS + ": the secret of '" + name + "' is shorter than 16 characters");
            }
            secrets.put(name, secret.getBytes(StandardCharsets.UTF_8));
        });
        if (!bind.getAddress().isLoopbackAddress() && tokens.isEmpty() && secrets.isEmpty()) {
            throw new ConfigException(BIND + ": ingest refuses to listen on " + bind.getAddress().getHostAddress()
                    + " (not loopback) without credentials: set " + TOKENS + " or " + HMAC_SECRETS);
        }
        String defaultTxId = "repro-ingest-" + bind.getAddress().getHostAddress() + "-" + bind.getPort();
        return new IngestSettings(bind,
                config.intInRange(MAX_BODY_BYTES, 1 << 20, 1024, 64 << 20),
                Map.copyOf(tokens), Map.copyOf(secrets),
                Duration.ofMillis(config.intInRange(ACK_TIMEOUT_MS, 10_000, 1_000, 300_000)),
                config.get(TRANSACTIONAL_ID, defaultTxId),
                config.intInRange(MAX_BATCH, 2_000, 1, 100_000),
                config.intInRange(THREADS, 64, 1, 1_024),
                config.intInRange(REMEMBERED_IDS, 1_000_000, 0, 50_000_000),
                Duration.ofHours(config.intInRange(DEDUPE_RETENTION_HOURS, 168, 1, 24 * 365)));
    }

    /** True when requests must carry a bearer token or a signature. */
    public boolean authenticationRequired() {
        return !tokens.isEmpty() || !hmacSecrets.isEmpty();
    }

    private static InetSocketAddress bindAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException(BIND + ": expected host:port, got '" + value + "'");
        }
        String host = value.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(BIND + ": the port must be a number, got '" + value.substring(colon + 1) + "'");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(BIND + ": the port must be between 0 and 65535, got " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ConfigException(BIND + ": unknown host '" + host + "'");
        }
    }

    private static Map<String, String> pairs(ReproConfig config, String key) {
        Map<String, String> pairs = new LinkedHashMap<>();
        String value = config.get(key, "");
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new ConfigException(key + ": expected name=value[,name=value…]; an entry has no name or no value");
            }
            String name = entry.substring(0, eq).strip();
            if (pairs.put(name, entry.substring(eq + 1).strip()) != null) {
                throw new ConfigException(key + ": '" + name + "' is given twice");
            }
        }
        return pairs;
    }
}
