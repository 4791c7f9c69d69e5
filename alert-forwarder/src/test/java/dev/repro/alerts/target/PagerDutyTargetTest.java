package dev.repro.alerts.target;

import static dev.repro.alerts.AlertFixtures.T0;
import static dev.repro.alerts.AlertFixtures.anAlert;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.alerts.ForwarderSettings;
import dev.repro.alerts.Routing;
import dev.repro.alerts.Secret;
import dev.repro.alerts.TargetKind;
import dev.repro.schema.Alert;
import dev.repro.serde.RecordJson;
import dev.repro.streams.DeadLetters;

class PagerDutyTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTING_KEY = "R0123456789abcdefghijklmnopqrstu";

    private final PagerDutyTarget target = new PagerDutyTarget(
            new ForwarderSettings.PagerDuty(URI.create("https://events.pagerduty.com/v2/enqueue"), Secret.of(ROUTING_KEY)),
            new Routing(Set.of(TargetKind.PAGERDUTY), Set.of()),
            new RunbookLinks(Optional.of(URI.create("https://runbooks.example/repro/"))), RecordJson.create());

    private JsonNode event(Alert alert, Alert previous) throws Exception {
        OutboundRequest request = target.request(new Change(alert, previous, new DeadLetters.Origin("repro.alerts", 0, 7, 0)), T0);
        assertThat(request.uri()).isEqualTo(URI.create("https://events.pagerduty.com/v2/enqueue"));
        assertThat(request.toString()).doesNotContain(ROUTING_KEY);
        return JSON.readTree(request.body());
    }

    @Test
    void shouldTriggerAPageWithTheDedupeKeyEvidenceAndRunbook() throws Exception {
        Alert alert = anAlert("drift/payments/prod/eu-1").page().scope("payments/prod/eu-1").label("service", "payments")
                .asOf(T0.plusSeconds(5)).build();

        JsonNode event = event(alert, null);

        assertThat(event.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(event.get("event_action").asText()).isEqualTo("trigger");
        assertThat(event.get("dedup_key").asText()).isEqualTo("drift/payments/prod/eu-1");
        JsonNode payload = event.get("payload");
        assertThat(payload.get("summary").asText()).isEqualTo(alert.getSummary());
        assertThat(payload.get("source").asText()).isEqualTo("payments/prod/eu-1");
        assertThat(payload.get("severity").asText()).isEqualTo("critical");
        assertThat(payload.get("timestamp").asText()).isEqualTo(T0.plusSeconds(5).toString());
        assertThat(payload.get("class").asText()).isEqualTo("REPLAY_FAILED");
        assertThat(payload.get("component").asText()).isEqualTo("payments");
        assertThat(payload.get("group").asText()).isEqualTo("ml");
        JsonNode details = payload.get("custom_details");
        assertThat(details.get("evidence").get(0).get("summary").asText()).isEqualTo("MISMATCH: replay run-1-r of run run-1");
        assertThat(details.get("evidence").get(0).get("kind").asText()).isEqualTo("REPLAY_VERDICT");
        assertThat(details.get("key").asText()).isEqualTo("drift/payments/prod/eu-1");
        assertThat(details.get("labels").get("service").asText()).isEqualTo("payments");
        assertThat(event.get("links").get(0).get("href").asText())
                .isEqualTo("https://runbooks.example/repro/docs/runbooks/replay-failed.md");
    }

    @Test
    void shouldResolveByTheSameDedupeKey() throws Exception {
        JsonNode event = event(anAlert("replay/sha256:c1").page().resolved().build(), anAlert("replay/sha256:c1").page().build());

        assertThat(event.get("event_action").asText()).isEqualTo("resolve");
        assertThat(event.get("dedup_key").asText()).isEqualTo("replay/sha256:c1");
        assertThat(event.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(event.has("payload")).isFalse();
    }

    @Test
    void shouldResolveAPageDowngradedToATicketWhenTicketsDoNotGoToPagerDuty() throws Exception {
        JsonNode event = event(anAlert("k").ticket().build(), anAlert("k").page().build());

        assertThat(event.get("event_action").asText()).isEqualTo("resolve");
    }

    @Test
    void shouldSendTicketsAsWarningsWhenTheyAreRoutedHere() throws Exception {
        PagerDutyTarget everything = new PagerDutyTarget(
                new ForwarderSettings.PagerDuty(URI.create("https://events.pagerduty.com/v2/enqueue"), Secret.of(ROUTING_KEY)),
                new Routing(Set.of(TargetKind.PAGERDUTY), Set.of(TargetKind.PAGERDUTY)), new RunbookLinks(Optional.empty()), RecordJson.create());

        JsonNode event = JSON.readTree(everything.request(new Change(anAlert("k").ticket().build(), null,
                new DeadLetters.Origin("repro.alerts", 0, 7, 0)), T0).body());

        assertThat(event.get("payload").get("severity").asText()).isEqualTo("warning");
        assertThat(event.has("links")).as("a runbook path without a base URL is no link").isFalse();
        assertThat(event.get("payload").get("custom_details").get("runbook").asText()).isEqualTo("docs/runbooks/replay-failed.md");
    }

    @Test
    void shouldHashAKeyLongerThanPagerDutyAllowsAndTruncateALongSummary() throws Exception {
        String longKey = "drift/" + "s".repeat(300);
        JsonNode event = event(anAlert(longKey).page().summary("x".repeat(2000)).build(), null);

        assertThat(event.get("dedup_key").asText()).startsWith("sha256:").hasSize(71);
        assertThat(event.get("dedup_key").asText()).isEqualTo(PagerDutyTarget.dedupKey(longKey));
        assertThat(event.get("payload").get("summary").asText()).hasSize(1024);
    }
}
