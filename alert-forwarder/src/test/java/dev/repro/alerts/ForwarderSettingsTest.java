package dev.repro.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

class ForwarderSettingsTest {

    private static final String ROUTING_KEY = "R0123456789abcdefghijklmnopqrstu";
    private static final String SECRET = "a-webhook-secret-of-some-length";

    private static ForwarderSettings settings(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return ForwarderSettings.from(ReproConfig.of(env));
    }

    @Test
    void shouldUseTheDefaultsAndRouteEverySeverityToEveryConfiguredTarget() {
        ForwarderSettings s = settings(ForwarderSettings.ALERTMANAGER_URL, "http://127.0.0.1:9093",
                ForwarderSettings.PAGERDUTY_ROUTING_KEY, ROUTING_KEY);

        assertThat(s.groupId()).isEqualTo("repro-alert-forwarder");
        assertThat(s.bind().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(s.bind().getPort()).isEqualTo(8082);
        assertThat(s.pagerDuty().orElseThrow().url()).isEqualTo(URI.create("https://events.pagerduty.com/v2/enqueue"));
        assertThat(s.alertmanager().orElseThrow().resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.alertmanager().orElseThrow().firingHorizon()).isEqualTo(Duration.ofMinutes(4));
        assertThat(s.webhook()).isEmpty();
        assertThat(s.configuredTargets()).containsExactly(TargetKind.ALERTMANAGER, TargetKind.PAGERDUTY);
        assertThat(s.routing().page()).containsExactlyInAnyOrder(TargetKind.ALERTMANAGER, TargetKind.PAGERDUTY);
        assertThat(s.routing().ticket()).containsExactlyInAnyOrder(TargetKind.ALERTMANAGER, TargetKind.PAGERDUTY);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.backoffInitial()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.maxPending()).isEqualTo(1000);
        assertThat(s.runbookBaseUrl()).isEmpty();
    }

    @Test
    void shouldReadEverySetting() {
        ForwarderSettings s = settings(
                ForwarderSettings.GROUP_ID, "pager-bridge",
                ForwarderSettings.BIND, "0.0.0.0:0",
                ForwarderSettings.ALERTMANAGER_URL, "https://am.example:9093/prefix",
                ForwarderSettings.ALERTMANAGER_RESEND_INTERVAL, "30s",
                ForwarderSettings.WEBHOOK_URL, "https://hooks.example/repro",
                ForwarderSettings.WEBHOOK_HMAC_SECRET, SECRET,
                ForwarderSettings.PAGERDUTY_URL, "https://events.eu.pagerduty.com/v2/enqueue",
                ForwarderSettings.PAGERDUTY_ROUTING_KEY, ROUTING_KEY,
                ForwarderSettings.PAGE_TARGETS, "pagerduty, alertmanager",
                ForwarderSettings.TICKET_TARGETS, "WEBHOOK",
                ForwarderSettings.CONNECT_TIMEOUT, "2s",
                ForwarderSettings.REQUEST_TIMEOUT, "PT3S",
                ForwarderSettings.BACKOFF_INITIAL, "100ms",
                ForwarderSettings.BACKOFF_MAX, "5m",
                ForwarderSettings.MAX_PENDING, "50",
                ForwarderSettings.RUNBOOK_BASE_URL, "https://github.com/acme/repro/blob/main");

        assertThat(s.groupId()).isEqualTo("pager-bridge");
        assertThat(s.bind().getPort()).isZero();
        assertThat(s.alertmanager().orElseThrow().url()).isEqualTo(URI.create("https://am.example:9093/prefix"));
        assertThat(s.alertmanager().orElseThrow().firingHorizon()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.webhook().orElseThrow().hmacSecret()).contains(Secret.of(SECRET));
        assertThat(s.pagerDuty().orElseThrow().url().getHost()).isEqualTo("events.eu.pagerduty.com");
        assertThat(s.routing().page()).containsExactlyInAnyOrder(TargetKind.PAGERDUTY, TargetKind.ALERTMANAGER);
        assertThat(s.routing().ticket()).containsExactly(TargetKind.WEBHOOK);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.backoffInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.maxPending()).isEqualTo(50);
        assertThat(s.runbookBaseUrl()).contains(URI.create("https://github.com/acme/repro/blob/main"));
    }

    @Test
    void shouldAcceptNoneForOneSeverity() {
        ForwarderSettings s = settings(ForwarderSettings.WEBHOOK_URL, "http://127.0.0.1:1/hook",
                ForwarderSettings.TICKET_TARGETS, "none");

        assertThat(s.routing().page()).containsExactly(TargetKind.WEBHOOK);
        assertThat(s.routing().ticket()).isEmpty();
    }

    @Test
    void shouldRefuseToStartWithoutAnyTarget() {
        assertThatThrownBy(() -> settings()).isInstanceOf(ConfigException.class)
                .hasMessageContaining(ForwarderSettings.ALERTMANAGER_URL)
                .hasMessageContaining(ForwarderSettings.WEBHOOK_URL)
                .hasMessageContaining(ForwarderSettings.PAGERDUTY_ROUTING_KEY)
                .hasMessageContaining("no target configured");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "REPRO_ALERTS_ALERTMANAGER_URL|ftp://am:9093|http:// or https://",
            "REPRO_ALERTS_ALERTMANAGER_URL|http://am host:9093|not a URL",
            "REPRO_ALERTS_ALERTMANAGER_RESEND_INTERVAL|soon|expected a duration",
            "REPRO_ALERTS_ALERTMANAGER_RESEND_INTERVAL|100ms|at least 1s",
            "REPRO_ALERTS_WEBHOOK_URL|/relative/hook|http:// or https://",
            "REPRO_ALERTS_WEBHOOK_HMAC_SECRET|short|at least 16 characters",
            "REPRO_ALERTS_PAGERDUTY_ROUTING_KEY|not-a-key|32-character integration key",
            "REPRO_ALERTS_PAGE_TARGETS|slack|expected a comma list",
            "REPRO_ALERTS_TICKET_TARGETS|pagerduty|'pagerduty' is not configured",
            "REPRO_ALERTS_BIND|localhost|expected host:port",
            "REPRO_ALERTS_BIND|127.0.0.1:http|must be a number",
            "REPRO_ALERTS_BIND|127.0.0.1:70000|between 0 and 65535",
            "REPRO_ALERTS_CONNECT_TIMEOUT|-1s|expected a duration",
            "REPRO_ALERTS_REQUEST_TIMEOUT|0s|at least",
            "REPRO_ALERTS_BACKOFF_INITIAL|0ms|at least",
            "REPRO_ALERTS_BACKOFF_MAX|100ms|at least 0.5s",
            "REPRO_ALERTS_MAX_PENDING|0|between 1 and",
            "REPRO_ALERTS_MAX_PENDING|many|whole number",
            "REPRO_ALERTS_RUNBOOK_BASE_URL|docs/runbooks|http:// or https://"})
    void shouldNameTheKeyOfABadValue(String key, String value, String rule) {
        Map<String, String> env = new HashMap<>(Map.of(ForwarderSettings.ALERTMANAGER_URL, "http://127.0.0.1:9093",
                ForwarderSettings.WEBHOOK_URL, "http://127.0.0.1:8000/hook"));
        env.put(key, value);

        assertThatThrownBy(() -> ForwarderSettings.from(ReproConfig.of(env))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + ":").hasMessageContaining(rule);
    }

    @Test
    void shouldRefuseASecretOrPagerDutyUrlWithoutItsTarget() {
        assertThatThrownBy(() -> settings(ForwarderSettings.ALERTMANAGER_URL, "http://127.0.0.1:9093",
                ForwarderSettings.WEBHOOK_HMAC_SECRET, SECRET))
                .hasMessageStartingWith(ForwarderSettings.WEBHOOK_HMAC_SECRET + ":");
        assertThatThrownBy(() -> settings(ForwarderSettings.ALERTMANAGER_URL, "http://127.0.0.1:9093",
                ForwarderSettings.PAGERDUTY_URL, "http://127.0.0.1:1/enqueue"))
                .hasMessageStartingWith(ForwarderSettings.PAGERDUTY_URL + ":");
    }

    @Test
    void shouldRefuseRoutingNothingAtAll() {
        assertThatThrownBy(() -> settings(ForwarderSettings.ALERTMANAGER_URL, "http://127.0.0.1:9093",
                ForwarderSettings.PAGE_TARGETS, "none", ForwarderSettings.TICKET_TARGETS, "NONE"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nothing would be forwarded");
    }

    @Test
    void shouldNeverShowACredentialInToStringOrErrors() {
        ForwarderSettings s = settings(ForwarderSettings.WEBHOOK_URL, "https://user:pa55word@hooks.example/x",
                ForwarderSettings.WEBHOOK_HMAC_SECRET, SECRET, ForwarderSettings.PAGERDUTY_ROUTING_KEY, ROUTING_KEY);

        assertThat(s.toString()).doesNotContain(SECRET).doesNotContain(ROUTING_KEY).doesNotContain("pa55word")
                .contains("******").contains("https://hooks.example/...");
        assertThat(s.secrets()).extracting(Secret::reveal).containsExactlyInAnyOrder(SECRET, ROUTING_KEY, "user:pa55word");
        assertThatThrownBy(() -> settings(ForwarderSettings.PAGERDUTY_ROUTING_KEY, "short-but-secret"))
                .hasMessageNotContaining("short-but-secret");
    }

    @Test
    void shouldBeConstructibleInCode() {
        ForwarderSettings s = new ForwarderSettings("group", new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), Optional.of(new ForwarderSettings.Webhook(URI.create("http://127.0.0.1:1/h"), Optional.empty())),
                Optional.empty(), new Routing(Set.of(TargetKind.WEBHOOK), Set.of()), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofSeconds(1), 10, Optional.empty());

        assertThat(s.configuredTargets()).containsExactly(TargetKind.WEBHOOK);
        assertThatThrownBy(() -> new ForwarderSettings("group", s.bind(), Optional.empty(), s.webhook(), Optional.empty(),
                new Routing(Set.of(TargetKind.PAGERDUTY), Set.of()), s.connectTimeout(), s.requestTimeout(),
                s.backoffInitial(), s.backoffMax(), 10, Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(ForwarderSettings.PAGE_TARGETS + ":");
        assertThatThrownBy(() -> new ForwarderSettings(" ", s.bind(), Optional.empty(), s.webhook(), Optional.empty(),
                s.routing(), s.connectTimeout(), s.requestTimeout(), s.backoffInitial(), s.backoffMax(), 10, Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(ForwarderSettings.GROUP_ID + ":");
    }
}
