package dev.repro.sli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

/**
 * The sli-aggregator's settings, read and validated from {@link ReproConfig} at start-up.
 *
 * @param applicationId          {@value #APPLICATION_ID}, default {@code <topic prefix>sli-aggregator}
 * @param bind                   {@value #BIND}: HTTP address, default {@code 127.0.0.1:8081} (port 0: any free port)
 * @param grace                  {@value #GRACE}: how late (event time, behind stream time) an input may be and
 *                               still count in its windows, default 1d; later ones go to the dead-letter topic
 * @param flapWindow             {@value #FLAP_WINDOW}: a condition returning within this much event time after
 *                               its RESOLVED reopens the same alert, default 30m
 * @param burnMinEvents          {@value #BURN_MIN_EVENTS}: no SLO_BURN with fewer events in the tier's long
 *                               window, default 10
 * @param targets                {@value #TARGETS}: SLO targets per SLI and scope ({@link SliTargets})
 * @param productionEnvironments {@value #PRODUCTION_ENVIRONMENTS}: environments whose DRIFT pages, default
 *                               {@code prod,production} (compared case-insensitively)
 */
public record SliConfig(String applicationId, InetSocketAddress bind, Duration grace, Duration flapWindow,
        long burnMinEvents, SliTargets targets, Set<String> productionEnvironments) {

    public static final String APPLICATION_ID = "REPRO_SLI_APPLICATION_ID";
    public static final String BIND = "REPRO_SLI_BIND";
    public static final String GRACE = "REPRO_SLI_GRACE";
    public static final String FLAP_WINDOW = "REPRO_SLI_FLAP_WINDOW";
    public static final String BURN_MIN_EVENTS = "REPRO_SLI_BURN_MIN_EVENTS";
    public static final String TARGETS = "REPRO_SLI_TARGETS";
    public static final String PRODUCTION_ENVIRONMENTS = "REPRO_SLI_PRODUCTION_ENVIRONMENTS";

    public static final String DEFAULT_BIND = "127.0.0.1:8081";
    public static final Duration DEFAULT_GRACE = Duration.ofDays(1);
    public static final Duration DEFAULT_FLAP_WINDOW = Duration.ofMinutes(30);
    public static final long DEFAULT_BURN_MIN_EVENTS = 10;

    public SliConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new ConfigException(APPLICATION_ID + ": must not be blank");
        }
        if (grace == null || grace.isNegative() || grace.isZero() || grace.compareTo(SliWindow.LONGEST.length()) > 0) {
            throw new ConfigException(GRACE + ": must be a positive duration of at most 28d, got " + grace);
        }
        if (flapWindow == null || flapWindow.isNegative()) {
            throw new ConfigException(FLAP_WINDOW + ": must be a duration of 0 or more, got " + flapWindow);
        }
        if (burnMinEvents < 1) {
            throw new ConfigException(BURN_MIN_EVENTS + ": must be at least 1, got " + burnMinEvents);
        }
        productionEnvironments = Set.copyOf(productionEnvironments);
    }

    public static SliConfig from(ReproConfig config) {
        return new SliConfig(
                config.get(APPLICATION_ID, config.topicPrefix() + "sli-aggregator").strip(),
                address(config.get(BIND, DEFAULT_BIND).strip()),
                config.duration(GRACE, DEFAULT_GRACE),
                config.duration(FLAP_WINDOW, DEFAULT_FLAP_WINDOW),
                config.intInRange(BURN_MIN_EVENTS, (int) DEFAULT_BURN_MIN_EVENTS, 1, Integer.MAX_VALUE),
                SliTargets.parse(TARGETS, config.get(TARGETS, "")),
                Arrays.stream(config.get(PRODUCTION_ENVIRONMENTS, "prod,production").split(","))
                        .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet()));
    }

    public boolean isProduction(String environment) {
        return environment != null && productionEnvironments.contains(environment.toLowerCase(Locale.ROOT));
    }

    static InetSocketAddress address(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(BIND + ": expected host:port, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(BIND + ": port must be a number, got '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(BIND + ": port must be between 0 and 65535, got " + port);
        }
        return new InetSocketAddress(host, port);
    }
}
