package dev.repro.alerts;

import static dev.repro.alerts.AlertFixtures.anAlert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Evidence;
import dev.repro.schema.EvidenceKind;
import dev.repro.schema.Severity;
import dev.repro.testkit.Eventually;
import dev.repro.testkit.KafkaBroker;

/**
 * Against a real Alertmanager (skipped where the Debian package {@code prometheus-alertmanager}
 * is not installed): alerts read from {@code repro.alerts} on a real broker become active
 * Alertmanager alerts with the contract's labels and annotations, end on RESOLVED, keep one label
 * set per key, and stay active through re-sends, across a restart of the forwarder.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AlertmanagerIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static AlertmanagerProcess alertmanager;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void startAlertmanager() throws Exception {
        assumeTrue(Files.isExecutable(AlertmanagerProcess.BINARY),
                AlertmanagerProcess.BINARY + " is not installed (Debian package prometheus-alertmanager)");
        alertmanager = AlertmanagerProcess.start(dir);
    }

    @AfterAll
    static void stopAlertmanager() throws Exception {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    private Map<String, String> settings(String resendInterval) {
        return Map.of(ForwarderSettings.ALERTMANAGER_URL, alertmanager.url().toString(),
                ForwarderSettings.ALERTMANAGER_RESEND_INTERVAL, resendInterval,
                ForwarderSettings.RUNBOOK_BASE_URL, "https://github.com/acme/repro/blob/main/");
    }

    @Test
    void shouldShowAFailedReplayInAlertmanagerWithItsLabelsAndAnnotationsUntilItResolves() throws Exception {
        String key = "replay/sha256:" + "c".repeat(64);
        Alert firing = anAlert(key).kind(AlertKind.REPLAY_FAILED).page().scope("sha256:" + "c".repeat(64))
                .summary("job train does not replay: MISMATCH (OUTPUT_DIGEST) replay r-2 of run r-1")
                .firstSeen(now).label("team", "ml").label("job", "train").label("criticality", "PRODUCTION").build();
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, 3);
             AlertForwarderApp.Running forwarder = Forwarders.start(kafka.config(), KAFKA.uniqueName("am"), settings("1m"))) {
            kafka.produce(firing);

            Eventually.await("the alert in Alertmanager", WAIT, () -> alertmanager.active(key).size() == 1);
            JsonNode alert = alertmanager.active(key).get(0);
            assertThat(alert.get("labels")).isEqualTo(JSON.valueToTree(Map.of(
                    "alertname", "REPLAY_FAILED", "dedupe_key", key, "severity", "page", "scope", "sha256:" + "c".repeat(64),
                    "team", "ml", "job", "train", "criticality", "PRODUCTION")));
            JsonNode annotations = alert.get("annotations");
            assertThat(annotations.get("summary").asText()).isEqualTo(firing.getSummary());
            assertThat(annotations.get("description").asText()).isEqualTo("REPLAY_VERDICT run-1: MISMATCH: replay run-1-r of run run-1");
            assertThat(annotations.get("runbook_url").asText())
                    .isEqualTo("https://github.com/acme/repro/blob/main/docs/runbooks/replay-failed.md");
            assertThat(annotations.get("count").asText()).isEqualTo("1");
            assertThat(Instant.parse(alert.get("startsAt").asText())).isEqualTo(now);
            assertThat(Instant.parse(alert.get("endsAt").asText())).as("ahead by four resend intervals")
                    .isAfter(Instant.now().plus(Duration.ofMinutes(3)));
            assertThat(alert.get("status").get("state").asText()).isIn("active", "unprocessed");

            kafka.produce(anAlert(key).kind(AlertKind.REPLAY_FAILED).page().scope("sha256:" + "c".repeat(64))
                    .summary("job train replays: MATCH").firstSeen(now).asOf(Instant.now())
                    .label("team", "ml").label("job", "train").label("criticality", "PRODUCTION").resolved().build());

            Eventually.await("the alert to leave Alertmanager's active list", WAIT, () -> alertmanager.active(key).isEmpty());
            Forwarders.assertCounterReaches(forwarder, "repro_alerts_forwarded_total{target=\"alertmanager\",status=\"RESOLVED\"}", 1.0);
        }
    }

    @Test
    void shouldKeepOneLabelSetPerKeyWhenTheSeverityChanges() throws Exception {
        String key = "slo/replay_success_rate/service:payments";
        Alert ticket = anAlert(key).kind(AlertKind.SLO_BURN).ticket().scope("service:payments").firstSeen(now)
                .label("burn_tier", "1d").build();
        Alert page = Alert.newBuilder(ticket).setSeverity(Severity.PAGE).setAsOf(now.plusSeconds(1))
                .setLabels(Map.of("team", "ml", "burn_tier", "1h")).setEvidence(List.of(Evidence.newBuilder()
                        .setKind(EvidenceKind.SLI_VALUE).setKey("replay_success_rate/service:payments/1h")
                        .setSummary("burn 15.0 over 1h").build())).build();
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, 3);
             AlertForwarderApp.Running forwarder = Forwarders.start(kafka.config(), KAFKA.uniqueName("am"), settings("1m"))) {
            kafka.produce(ticket);
            Eventually.await("the ticket in Alertmanager", WAIT, () -> alertmanager.active(key).size() == 1);

            kafka.produce(page);

            Eventually.await("the page to replace the ticket", WAIT, () -> alertmanager.active(key).size() == 1
                    && alertmanager.active(key).get(0).get("labels").get("severity").asText().equals("page"));
            JsonNode alert = alertmanager.active(key).get(0);
            assertThat(alert.get("labels").get("burn_tier").asText()).isEqualTo("1h");
            // one request per change, the ticket's label set resolved within the page's
            Forwarders.assertCounterReaches(forwarder, "repro_alerts_forwarded_total{target=\"alertmanager\",status=\"FIRING\"}", 2.0);
            assertThat(alert.get("annotations").get("description").asText()).isEqualTo("SLI_VALUE replay_success_rate/service:payments/1h: burn 15.0 over 1h");
        }
    }

    @Test
    void shouldKeepAFiringAlertActiveWithResendsAcrossARestartAndStopOnceResolved() throws Exception {
        String key = "drift/payments/prod/eu-1";
        Alert firing = anAlert(key).kind(AlertKind.DRIFT).page().scope("payments/prod/eu-1").firstSeen(now).build();
        String group = KAFKA.uniqueName("am-resend");
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, 3)) {
            Instant firstEnd;
            try (AlertForwarderApp.Running first = Forwarders.start(kafka.config(), group, settings("1s"))) {
                kafka.produce(firing);
                Eventually.await("the alert in Alertmanager", WAIT, () -> alertmanager.active(key).size() == 1);
                firstEnd = Instant.parse(alertmanager.active(key).get(0).get("endsAt").asText());
                Eventually.await("the first forwarder to commit it", WAIT, () -> kafka.committedEverything(group));
                Forwarders.assertCounterReaches(first, "repro_alerts_forwarded_total{target=\"alertmanager\",status=\"FIRING\"}", 1.0);
            }

            try (AlertForwarderApp.Running second = Forwarders.start(kafka.config(), group, settings("1s"))) {
                Eventually.await("a re-send by the restarted forwarder", WAIT, () -> Forwarders.metric(second,
                        "repro_alerts_resent_total") >= 2 && !alertmanager.active(key).isEmpty() && Instant.parse(
                        alertmanager.active(key).get(0).get("endsAt").asText()).isAfter(firstEnd.plusSeconds(1)));
                Eventually.await("the first forwarder's end to pass", WAIT, () -> Instant.now().isAfter(firstEnd.plusSeconds(1)));
                assertThat(alertmanager.active(key)).as("still active after the first forwarder's endsAt").hasSize(1);
                assertThat(Forwarders.metric(second, "repro_alerts_forwarded_total{target=\"alertmanager\",status=\"FIRING\"}"))
                        .as("it learned the open alert from the topic, it did not deliver it again").isZero();

                kafka.produce(Alert.newBuilder(firing).setStatus(AlertStatus.RESOLVED).setAsOf(Instant.now()).build());
                Eventually.await("the alert to resolve", WAIT, () -> alertmanager.active(key).isEmpty());
                Eventually.holds("no re-send to bring the resolved alert back", Duration.ofMillis(2500),
                        () -> alertmanager.active(key).isEmpty());
            }
        }
    }
}
