package dev.repro.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of every repro process: built-in defaults, then an optional properties file
 * ({@code REPRO_CONFIG_FILE}), then environment variables. Keys are written as environment
 * variables ({@code REPRO_BOOTSTRAP_SERVERS}); a properties file may also use the dotted form
 * ({@code repro.bootstrap.servers}). Any {@code KAFKA_<UPPER_SNAKE>} key becomes the Kafka client
 * setting {@code <lower.dotted>} for every client of the process
 * ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} → {@code security.protocol=SASL_SSL}).
 *
 * <p>Immutable. Invalid values fail when read, with one line naming the key and the rule.
 */
public final class ReproConfig {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    public static final String BOOTSTRAP_SERVERS = "REPRO_BOOTSTRAP_SERVERS";
    public static final String TOPIC_PREFIX = "REPRO_TOPIC_PREFIX";
    public static final String TOPIC_PARTITIONS = "REPRO_TOPIC_PARTITIONS";
    public static final String TOPIC_REPLICATION_FACTOR = "REPRO_TOPIC_REPLICATION_FACTOR";
    public static final String CONFIG_FILE = "REPRO_CONFIG_FILE";

    private static final Map<String, String> DEFAULTS = Map.of(
            BOOTSTRAP_SERVERS, "127.0.0.1:19092",
            TOPIC_PREFIX, "repro.",
            TOPIC_PARTITIONS, "3",
            TOPIC_REPLICATION_FACTOR, "1");

    /** Variables of Kafka's own scripts and images that are not client settings. */
    private static final Set<String> NOT_CLIENT_SETTINGS = Set.of(
            "KAFKA_HOME", "KAFKA_OPTS", "KAFKA_HEAP_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS",
            "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_VERSION");

    private final Map<String, String> settings;

    private ReproConfig(Map<String, String> settings) {
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /** Defaults, then the file named by {@code REPRO_CONFIG_FILE} if any, then {@code environment}. */
    public static ReproConfig load(Map<String, String> environment) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        String file = environment.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            merged.putAll(readFile(Path.of(file)));
        }
        environment.forEach((key, value) -> {
            if (isReproKey(key)) {
                merged.put(key, value);
            }
        });
        return new ReproConfig(merged);
    }

    /** The process's own configuration: defaults ← file ← {@link System#getenv()}. */
    public static ReproConfig fromEnvironment() {
        return load(System.getenv());
    }

    /** Defaults overridden by {@code overrides} (keys in environment form), for tests and the launcher. */
    public static ReproConfig of(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        overrides.forEach((key, value) -> merged.put(normalize(key), value));
        return new ReproConfig(merged);
    }

    /** A copy with {@code key} set to {@code value}. */
    public ReproConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(normalize(key), value);
        return new ReproConfig(copy);
    }

    public String bootstrapServers() {
        String value = string(BOOTSTRAP_SERVERS);
        for (String server : value.split(",")) {
            String s = server.strip();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new ConfigException(BOOTSTRAP_SERVERS + ": expected host:port[,host:port…], got '" + value + "'");
            }
        }
        return value;
    }

    public String topicPrefix() {
        return string(TOPIC_PREFIX);
    }

    public int topicPartitions() {
        return intInRange(TOPIC_PARTITIONS, 1, 10_000);
    }

    public short topicReplicationFactor() {
        return (short) intInRange(TOPIC_REPLICATION_FACTOR, 1, 32);
    }

    /** The value of {@code key}, or {@code fallback} when it is not set. */
    public String get(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }

    /**
     * {@code key} as a duration, or {@code fallback} when it is not set: {@code <n>ms|s|m|h|d}
     * ({@code 500ms}, {@code 30m}, {@code 14d}) or ISO-8601 ({@code PT30M}, {@code P14D});
     * anything else fails naming the key.
     */
    public Duration duration(String key, Duration fallback) {
        String value = get(key, "").strip();
        if (value.isEmpty()) {
            return fallback;
        }
        Matcher simple = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            long n = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": expected a duration like 500ms, 30m, 14d or PT30M, got '" + value + "'");
        }
    }

    /** The value of a required key; fails naming the key when it is missing or blank. */
    public String string(String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException(key + ": must be set");
        }
        return value.strip();
    }

    public int intInRange(String key, int min, int max) {
        String value = string(key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException(key + ": must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": must be a whole number, got '" + value + "'");
        }
    }

    /** {@code key} as an int, {@code fallback} when unset, validated against the range. */
    public int intInRange(String key, int fallback, int min, int max) {
        return settings.containsKey(key) ? intInRange(key, min, max) : fallback;
    }

    /** The Kafka client settings given as {@code KAFKA_*} keys, in Kafka's dotted form. */
    public Map<String, Object> kafkaClientOverrides() {
        Map<String, Object> kafka = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith("KAFKA_") && !NOT_CLIENT_SETTINGS.contains(key)) {
                kafka.put(key.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return kafka;
    }

    /** Every setting, with values of keys that look secret masked: for start-up logs. */
    public Map<String, String> describe() {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((key, value) -> shown.put(key, looksSecret(key) ? "******" : value));
        return shown;
    }

    private static boolean looksSecret(String key) {
        String k = key.toUpperCase(Locale.ROOT);
        return k.contains("PASSWORD") || k.contains("SECRET") || k.contains("TOKEN") || k.contains("JAAS")
                || k.contains("KEY") || k.contains("CREDENTIAL");
    }

    private static boolean isReproKey(String key) {
        return key.startsWith("REPRO_") || key.startsWith("KAFKA_");
    }

    private static String normalize(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            String key = normalize(name);
            if (!isReproKey(key)) {
                throw new ConfigException(file + ": unknown key '" + name + "' (keys start with REPRO_ or KAFKA_)");
            }
            values.put(key, props.getProperty(name).strip());
        }
        return values;
    }
}
