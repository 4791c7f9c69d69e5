package dev.repro.alerts.target;

import static dev.repro.alerts.AlertFixtures.T0;
import static dev.repro.alerts.AlertFixtures.anAlert;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.alerts.ForwarderSettings;
import dev.repro.alerts.Routing;
import dev.repro.alerts.TargetKind;
import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.serde.RecordJson;
import dev.repro.streams.DeadLetters;

class AlertmanagerTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = T0.plus(Duration.ofMinutes(10));

    private final AlertmanagerTarget target = new AlertmanagerTarget(
            new ForwarderSettings.Alertmanager(URI.create("http://am.example:9093/"), Duration.ofMinutes(1)),
            new Routing(Set.of(TargetKind.ALERTMANAGER), Set.of(TargetKind.ALERTMANAGER)),
            new RunbookLinks(Optional.of(URI.create("https://github.com/acme/repro/blob/main"))), RecordJson.create());

    private static Change change(Alert alert, Alert previous) {
        return new Change(alert, previous, new DeadLetters.Origin("repro.alerts", 1, 42, alert.getAsOf().toEpochMilli()));
    }

    private JsonNode post(Change change) throws Exception {
        OutboundRequest request = target.request(change, NOW);
        assertThat(request.uri()).isEqualTo(URI.create("http://am.example:9093/api/v2/alerts"));
        return JSON.readTree(request.body());
    }

    @Test
    void shouldMapAFiringAlertToLabelsAnnotationsAndAStartThatAlertmanagerGroupsOn() throws Exception {
        Alert alert = anAlert("replay/sha256:c1").page().label("service", "trainer").label("app.kubernetes.io/name", "x")
                .asOf(T0.plusSeconds(30)).count(3).build();

        JsonNode posted = post(change(alert, null));

        assertThat(posted).hasSize(1);
        JsonNode a = posted.get(0);
        assertThat(a.get("labels")).isEqualTo(JSON.valueToTree(Map.of(
                "alertname", "REPLAY_FAILED", "dedupe_key", "replay/sha256:c1", "severity", "page", "scope", "sha256:c1",
                "team", "ml", "service", "trainer", "app_kubernetes_io_name", "x")));
        assertThat(a.get("annotations").get("summary").asText()).isEqualTo("job train does not replay: replay/sha256:c1");
        assertThat(a.get("annotations").get("description").asText()).isEqualTo("REPLAY_VERDICT run-1: MISMATCH: replay run-1-r of run run-1");
        assertThat(a.get("annotations").get("runbook_url").asText())
                .isEqualTo("https://github.com/acme/repro/blob/main/docs/runbooks/replay-failed.md");
        assertThat(JSON.readTree(a.get("annotations").get("evidence").asText()).get(0).get("key").asText()).isEqualTo("run-1");
        assertThat(a.get("annotations").get("count").asText()).isEqualTo("3");
        assertThat(a.get("startsAt").asText()).isEqualTo(T0.toString());
        assertThat(Instant.parse(a.get("endsAt").asText())).as("four resend intervals ahead").isEqualTo(NOW.plus(Duration.ofMinutes(4)));
    }

    @Test
    void shouldEndAResolvedAlertAtItsEventTime() throws Exception {
        Alert firing = anAlert("k").page().build();
        Alert resolved = anAlert("k").page().resolved().asOf(T0.plusSeconds(90)).build();

        JsonNode posted = post(change(resolved, firing));

        assertThat(posted).hasSize(1);
        assertThat(posted.get(0).get("labels")).isEqualTo(post(change(firing, null)).get(0).get("labels"));
        assertThat(posted.get(0).get("endsAt").asText()).isEqualTo(T0.plusSeconds(90).toString());
        assertThat(posted.get(0).get("startsAt").asText()).isEqualTo(T0.toString());
    }

    @Test
    void shouldNotEndAnAlertInTheFutureWhenTheResolvingEventTimeIsAheadOfTheClock() throws Exception {
        Alert resolved = anAlert("k").resolved().asOf(NOW.plus(Duration.ofHours(1))).firstSeen(NOW.plus(Duration.ofHours(1))).build();

        JsonNode posted = post(change(resolved, null));

        assertThat(posted.get(0).get("endsAt").asText()).isEqualTo(NOW.toString());
        assertThat(posted.get(0).get("startsAt").asText()).as("never after endsAt, which Alertmanager refuses").isEqualTo(NOW.toString());
    }

    @Test
    void shouldResolveTheOldLabelSetWhenTheSeverityChanges() throws Exception {
        Alert ticket = anAlert("slo/replay_success_rate/global").kind(AlertKind.SLO_BURN).ticket().build();
        Alert page = anAlert("slo/replay_success_rate/global").kind(AlertKind.SLO_BURN).page().asOf(T0.plusSeconds(300)).build();

        JsonNode posted = post(change(page, ticket));

        assertThat(posted).hasSize(2);
        assertThat(posted.get(0).get("labels").get("severity").asText()).isEqualTo("ticket");
        assertThat(posted.get(0).get("endsAt").asText()).isEqualTo(T0.plusSeconds(300).toString());
        assertThat(posted.get(1).get("labels").get("severity").asText()).isEqualTo("page");
        assertThat(Instant.parse(posted.get(1).get("endsAt").asText())).isAfter(NOW);
    }

    @Test
    void shouldResolveAnAlertDowngradedToASeverityThatIsNotRoutedHere() throws Exception {
        AlertmanagerTarget pagesOnly = new AlertmanagerTarget(
                new ForwarderSettings.Alertmanager(URI.create("http://am.example:9093"), Duration.ofMinutes(1)),
                new Routing(Set.of(TargetKind.ALERTMANAGER), Set.of()), new RunbookLinks(Optional.empty()), RecordJson.create());
        Alert page = anAlert("k").page().build();
        Alert ticket = anAlert("k").ticket().asOf(T0.plusSeconds(60)).build();

        JsonNode posted = JSON.readTree(pagesOnly.request(change(ticket, page), NOW).body());

        assertThat(posted).hasSize(1);
        assertThat(posted.get(0).get("labels").get("severity").asText()).isEqualTo("page");
        assertThat(posted.get(0).get("endsAt").asText()).isEqualTo(T0.plusSeconds(60).toString());
        assertThat(posted.get(0).get("annotations").get("runbook_url").asText()).as("no base URL: the path as is")
                .isEqualTo("docs/runbooks/replay-failed.md");
    }

    @Test
    void shouldKeepOpenAlertsAliveWithAFreshEnd() throws Exception {
        Alert a = anAlert("a").page().build();
        Alert b = anAlert("b").build();

        JsonNode posted = JSON.readTree(target.keepalive(List.of(a, b), NOW).body());

        assertThat(posted).hasSize(2);
        assertThat(posted.findValuesAsText("endsAt")).containsOnly(NOW.plus(Duration.ofMinutes(4)).toString());
        assertThat(posted.get(0).get("labels")).isEqualTo(post(change(a, null)).get(0).get("labels"));
    }

    @Test
    void shouldLetTheCoreLabelsWinOverRoutingLabelsOfTheSameName() {
        Alert alert = anAlert("k").label("severity", "low").label("alertname", "x").label("empty", "").label("9lives", "y").build();

        assertThat(AlertmanagerTarget.labels(alert)).containsEntry("severity", "ticket").containsEntry("alertname", "REPLAY_FAILED")
                .doesNotContainKey("empty").containsEntry("_9lives", "y");
    }
}
