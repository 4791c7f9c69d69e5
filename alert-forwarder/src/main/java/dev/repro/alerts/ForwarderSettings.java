package dev.repro.alerts;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.repro.alerts.target.Redaction;
import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

/**
 * The alert forwarder's settings, read and validated once at start-up from {@link ReproConfig}
 * ({@link #from}), or built directly. Every invalid value fails with a {@link ConfigException}
 * whose one line names the key. Credentials are {@link Secret}s and target URLs show only their
 * origin: no {@code toString} shows a credential.
 *
 * @param groupId        consumer group ({@value #GROUP_ID}, default {@value #DEFAULT_GROUP_ID})
 * @param bind           metrics and health HTTP address ({@value #BIND}, default {@value #DEFAULT_BIND}; port 0: any free port)
 * @param alertmanager   the Alertmanager target, when {@value #ALERTMANAGER_URL} is set
 * @param webhook        the webhook target, when {@value #WEBHOOK_URL} is set
 * @param pagerDuty      the PagerDuty target, when {@value #PAGERDUTY_ROUTING_KEY} is set
 * @param routing        which targets get PAGE and which TICKET alerts ({@value #PAGE_TARGETS},
 *                       {@value #TICKET_TARGETS}; default every configured target)
 * @param connectTimeout longest wait to connect to a target ({@value #CONNECT_TIMEOUT}, default 5s)
 * @param requestTimeout longest wait for a target's answer ({@value #REQUEST_TIMEOUT}, default 10s)
 * @param backoffInitial first retry delay after a failed delivery ({@value #BACKOFF_INITIAL}, default 500ms)
 * @param backoffMax     cap of the retry delay, which doubles per failure ({@value #BACKOFF_MAX}, default 1m)
 * @param maxPending     changes read from a partition and not yet delivered everywhere before
 *                       that partition is paused ({@value #MAX_PENDING}, default 1000)
 * @param runbookBaseUrl base against which a relative runbook path (e.g. {@code docs/runbooks/drift.md})
 *                       becomes a link ({@value #RUNBOOK_BASE_URL}, default none: the path is sent as is)
 */
public record ForwarderSettings(String groupId, InetSocketAddress bind, Optional<Alertmanager> alertmanager,
        Optional<Webhook> webhook, Optional<PagerDuty> pagerDuty, Routing routing, Duration connectTimeout,
        Duration requestTimeout, Duration backoffInitial, Duration backoffMax, int maxPending, Optional<URI> runbookBaseUrl) {

    public static final String GROUP_ID = "REPRO_ALERTS_GROUP_ID";
    public static final String BIND = "REPRO_ALERTS_BIND";
    public static final String ALERTMANAGER_URL = "REPRO_ALERTS_ALERTMANAGER_URL";
    public static final String ALERTMANAGER_RESEND_INTERVAL = "REPRO_ALERTS_ALERTMANAGER_RESEND_INTERVAL";
    public static final String WEBHOOK_URL = "REPRO_ALERTS_WEBHOOK_URL";
    public static final String WEBHOOK_HMAC_SECRET = "REPRO_ALERTS_WEBHOOK_HMAC_SECRET";
    public static final String PAGERDUTY_URL = "REPRO_ALERTS_PAGERDUTY_URL";
    public static final String PAGERDUTY_ROUTING_KEY = "REPRO_ALERTS_PAGERDUTY_ROUTING_KEY";
    public static final String PAGE_TARGETS = "REPRO_ALERTS_PAGE_TARGETS";
    public static final String TICKET_TARGETS = "REPRO_ALERTS_TICKET_TARGETS";
    public static final String CONNECT_TIMEOUT = "REPRO_ALERTS_CONNECT_TIMEOUT";
    public static final String REQUEST_TIMEOUT = "REPRO_ALERTS_REQUEST_TIMEOUT";
    public static final String BACKOFF_INITIAL = "REPRO_ALERTS_BACKOFF_INITIAL";
    public static final String BACKOFF_MAX = "REPRO_ALERTS_BACKOFF_MAX";
    public static final String MAX_PENDING = "REPRO_ALERTS_MAX_PENDING";
    public static final String RUNBOOK_BASE_URL = "REPRO_ALERTS_RUNBOOK_BASE_URL";

    public static final String DEFAULT_GROUP_ID = "repro-alert-forwarder";
    public static final String DEFAULT_BIND = "127.0.0.1:8082";
    public static final String DEFAULT_PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";
    public static final Duration DEFAULT_RESEND_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_PENDING = 1000;

    private static final int MIN_SECRET_LENGTH = 16;
    private static final Pattern ROUTING_KEY = Pattern.compile("[A-Za-z0-9]{32}");

    /**
     * Alertmanager ({@code POST <url>/api/v2/alerts}).
     *
     * @param url            base URL, e.g. {@code http://alertmanager:9093}
     * @param resendInterval how often FIRING alerts are sent again to keep them active; each
     *                       FIRING alert ends {@link #firingHorizon()} after it was sent
     */
    public record Alertmanager(URI url, Duration resendInterval) {

        public Alertmanager {
            requireHttpUrl(ALERTMANAGER_URL, url);
            requireAtLeast(ALERTMANAGER_RESEND_INTERVAL, resendInterval, Duration.ofSeconds(1));
        }

        /** The {@code endsAt} distance of a FIRING alert: four resend intervals, as Prometheus does. */
        public Duration firingHorizon() {
            return resendInterval.multipliedBy(4);
        }

        @Override
        public String toString() {
            return "Alertmanager[url=" + Redaction.origin(url) + ", resendInterval=" + resendInterval + "]";
        }
    }

    /**
     * A generic JSON webhook.
     *
     * @param url        where each change is POSTed
     * @param hmacSecret when present, each body is signed: {@code X-Repro-Signature-256: sha256=<hex HMAC-SHA256>}
     */
    public record Webhook(URI url, Optional<Secret> hmacSecret) {

        public Webhook {
            requireHttpUrl(WEBHOOK_URL, url);
            if (hmacSecret.filter(s -> s.reveal().length() < MIN_SECRET_LENGTH).isPresent()) {
                throw new ConfigException(WEBHOOK_HMAC_SECRET + ": must be at least " + MIN_SECRET_LENGTH + " characters");
            }
        }

        @Override
        public String toString() {
            return "Webhook[url=" + Redaction.origin(url) + ", hmacSecret=" + hmacSecret + "]";
        }
    }

    /**
     * The PagerDuty Events API v2.
     *
     * @param url        the events endpoint ({@value #DEFAULT_PAGERDUTY_URL}; EU accounts use {@code events.eu.pagerduty.com})
     * @param routingKey the 32-character integration key of the service
     */
    public record PagerDuty(URI url, Secret routingKey) {

        public PagerDuty {
            requireHttpUrl(PAGERDUTY_URL, url);
            if (!ROUTING_KEY.matcher(routingKey.reveal()).matches()) {
                throw new ConfigException(PAGERDUTY_ROUTING_KEY + ": must be the 32-character integration key"
                        + " (letters and digits) of a PagerDuty service");
            }
        }

        @Override
        public String toString() {
            return "PagerDuty[url=" + Redaction.origin(url) + ", routingKey=" + routingKey + "]";
        }
    }

    public ForwarderSettings {
        if (groupId == null || groupId.isBlank()) {
            throw new ConfigException(GROUP_ID + ": must not be blank");
        }
        Set<TargetKind> configured = configured(alertmanager, webhook, pagerDuty);
        if (configured.isEmpty()) {
            throw new ConfigException(ALERTMANAGER_URL + ", " + WEBHOOK_URL + " or " + PAGERDUTY_ROUTING_KEY
                    + ": no target configured; set at least one of them");
        }
        requireConfigured(PAGE_TARGETS, routing.page(), configured);
        requireConfigured(TICKET_TARGETS, routing.ticket(), configured);
        if (routing.page().isEmpty() && routing.ticket().isEmpty()) {
            throw new ConfigException(PAGE_TARGETS + " and " + TICKET_TARGETS + ": both are 'none', so nothing would be forwarded");
        }
        requireAtLeast(CONNECT_TIMEOUT, connectTimeout, Duration.ofMillis(1));
        requireAtLeast(REQUEST_TIMEOUT, requestTimeout, Duration.ofMillis(1));
        requireAtLeast(BACKOFF_INITIAL, backoffInitial, Duration.ofMillis(1));
        requireAtLeast(BACKOFF_MAX, backoffMax, backoffInitial);
        if (maxPending < 1) {
            throw new ConfigException(MAX_PENDING + ": must be at least 1, got " + maxPending);
        }
        runbookBaseUrl.ifPresent(url -> requireHttpUrl(RUNBOOK_BASE_URL, url));
    }

    /** The settings in {@code config}, with the defaults above. */
    public static ForwarderSettings from(ReproConfig config) {
        Optional<Alertmanager> alertmanager = optional(config, ALERTMANAGER_URL).map(url -> new Alertmanager(
                url(ALERTMANAGER_URL, url), config.duration(ALERTMANAGER_RESEND_INTERVAL, DEFAULT_RESEND_INTERVAL)));
        Optional<String> hmacSecret = optional(config, WEBHOOK_HMAC_SECRET);
        Optional<Webhook> webhook = optional(config, WEBHOOK_URL).map(url -> new Webhook(url(WEBHOOK_URL, url),
                hmacSecret.map(Secret::of)));
        if (webhook.isEmpty() && hmacSecret.isPresent()) {
            throw new ConfigException(WEBHOOK_HMAC_SECRET + ": is set but " + WEBHOOK_URL + " is not");
        }
        Optional<PagerDuty> pagerDuty = optional(config, PAGERDUTY_ROUTING_KEY).map(key -> new PagerDuty(
                url(PAGERDUTY_URL, optional(config, PAGERDUTY_URL).orElse(DEFAULT_PAGERDUTY_URL)), Secret.of(key)));
        if (pagerDuty.isEmpty() && optional(config, PAGERDUTY_URL).isPresent()) {
            throw new ConfigException(PAGERDUTY_URL + ": is set but " + PAGERDUTY_ROUTING_KEY + " is not");
        }
        Set<TargetKind> configured = configured(alertmanager, webhook, pagerDuty);
        Routing routing = new Routing(targets(config, PAGE_TARGETS, configured), targets(config, TICKET_TARGETS, configured));
        return new ForwarderSettings(
                optional(config, GROUP_ID).orElse(DEFAULT_GROUP_ID),
                address(optional(config, BIND).orElse(DEFAULT_BIND)),
                alertmanager, webhook, pagerDuty, routing,
                config.duration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                config.duration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT),
                config.duration(BACKOFF_INITIAL, DEFAULT_BACKOFF_INITIAL),
                config.duration(BACKOFF_MAX, DEFAULT_BACKOFF_MAX),
                config.intInRange(MAX_PENDING, DEFAULT_MAX_PENDING, 1, 1_000_000),
                optional(config, RUNBOOK_BASE_URL).map(url -> url(RUNBOOK_BASE_URL, url)));
    }

    /** The targets that have settings, in {@link TargetKind} order. */
    public Set<TargetKind> configuredTargets() {
        return configured(alertmanager, webhook, pagerDuty);
    }

    /** Every credential, so that no answer of a target can echo one into a log or a dead letter. */
    public List<Secret> secrets() {
        List<Secret> secrets = new ArrayList<>();
        webhook.flatMap(Webhook::hmacSecret).ifPresent(secrets::add);
        pagerDuty.map(PagerDuty::routingKey).ifPresent(secrets::add);
        alertmanager.map(Alertmanager::url).flatMap(ForwarderSettings::userInfo).ifPresent(secrets::add);
        webhook.map(Webhook::url).flatMap(ForwarderSettings::userInfo).ifPresent(secrets::add);
        pagerDuty.map(PagerDuty::url).flatMap(ForwarderSettings::userInfo).ifPresent(secrets::add);
        return List.copyOf(secrets);
    }

    /** The user info of a URL ({@code user:password}), sent as HTTP Basic authentication. */
    private static Optional<Secret> userInfo(URI url) {
        return Optional.ofNullable(url.getUserInfo()).filter(info -> !info.isEmpty()).map(Secret::of);
    }

    private static Set<TargetKind> configured(Optional<Alertmanager> alertmanager, Optional<Webhook> webhook,
            Optional<PagerDuty> pagerDuty) {
        EnumSet<TargetKind> configured = EnumSet.noneOf(TargetKind.class);
        alertmanager.ifPresent(a -> configured.add(TargetKind.ALERTMANAGER));
        webhook.ifPresent(w -> configured.add(TargetKind.WEBHOOK));
        pagerDuty.ifPresent(p -> configured.add(TargetKind.PAGERDUTY));
        return configured;
    }

    private static void requireConfigured(String key, Set<TargetKind> routed, Set<TargetKind> configured) {
        for (TargetKind target : routed) {
            if (!configured.contains(target)) {
                throw new ConfigException(key + ": '" + target.id() + "' is not configured (set " + settingOf(target) + ")");
            }
        }
    }

    private static String settingOf(TargetKind target) {
        return switch (target) {
            case ALERTMANAGER -> ALERTMANAGER_URL;
            case WEBHOOK -> WEBHOOK_URL;
            case PAGERDUTY -> PAGERDUTY_ROUTING_KEY;
        };
    }

    private static Optional<String> optional(ReproConfig config, String key) {
        return Optional.ofNullable(config.get(key, null)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** A comma list of target ids, or {@code none}; unset means every configured target. */
    private static Set<TargetKind> targets(ReproConfig config, String key, Set<TargetKind> configured) {
        Optional<String> value = optional(config, key);
        if (value.isEmpty()) {
            return configured;
        }
        if (value.get().equalsIgnoreCase("none")) {
            return Set.of();
        }
        EnumSet<TargetKind> targets = EnumSet.noneOf(TargetKind.class);
        for (String id : value.get().split(",")) {
            targets.add(TargetKind.byId(id).orElseThrow(() -> new ConfigException(key
                    + ": expected a comma list of alertmanager, webhook, pagerduty (or 'none'), got '" + value.get() + "'")));
        }
        return targets;
    }

    private static URI url(String key, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(key + ": not a URL: " + e.getReason());
        }
    }

    private static void requireHttpUrl(String key, URI url) {
        if (url == null || url.getScheme() == null || url.getHost() == null
                || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
            throw new ConfigException(key + ": expected an http:// or https:// URL with a host");
        }
    }

    private static void requireAtLeast(String key, Duration value, Duration min) {
        if (value == null || value.compareTo(min) < 0) {
            throw new ConfigException(key + ": must be at least " + min.toString().substring(2).toLowerCase(Locale.ROOT)
                    + ", got " + (value == null ? "nothing" : value.toString().substring(2).toLowerCase(Locale.ROOT)));
        }
    }

    private static InetSocketAddress address(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
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
}
