package dev.repro.alerts.target;

import static dev.repro.alerts.AlertFixtures.T0;
import static dev.repro.alerts.AlertFixtures.anAlert;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.alerts.ForwarderSettings;
import dev.repro.alerts.Secret;
import dev.repro.schema.Alert;
import dev.repro.serde.RecordJson;
import dev.repro.streams.DeadLetters;

class WebhookTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Secret SECRET = Secret.of("It's a Secret to Everybody");
    private static final URI URL = URI.create("https://hooks.example/repro");

    private final Change change = new Change(anAlert("rebuild/app").page().build(), null,
            new DeadLetters.Origin("repro.alerts", 2, 99, T0.toEpochMilli()));

    @Test
    void shouldPostTheAlertsContractJsonWithDeliveryMetadata() throws Exception {
        OutboundRequest request = new WebhookTarget(new ForwarderSettings.Webhook(URL, Optional.empty()), RecordJson.create())
                .request(change, T0);

        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("alert")).isEqualTo(RecordJson.create().toJson(change.alert()));
        assertThat(body.get("alert").get("first_seen").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(body.get("delivery").get("id").asText()).isEqualTo("repro.alerts/2/99");
        assertThat(body.get("delivery").get("key").asText()).isEqualTo("rebuild/app");
        assertThat(body.get("delivery").get("topic").asText()).isEqualTo("repro.alerts");
        assertThat(body.get("delivery").get("partition").asInt()).isEqualTo(2);
        assertThat(body.get("delivery").get("offset").asLong()).isEqualTo(99);
        assertThat(body.get("delivery").get("record_timestamp").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(request.headers()).containsEntry("Idempotency-Key", "repro.alerts/2/99")
                .containsEntry("X-Repro-Delivery", "repro.alerts/2/99").doesNotContainKey(WebhookSignature.HEADER);
        assertThat(request.uri()).isEqualTo(URL);
    }

    @Test
    void shouldSignTheExactBodyWhenASecretIsSet() {
        WebhookTarget target = new WebhookTarget(new ForwarderSettings.Webhook(URL, Optional.of(SECRET)), RecordJson.create());

        OutboundRequest first = target.request(change, T0);
        OutboundRequest retry = target.request(change, T0.plusSeconds(60));

        assertThat(first.headers().get(WebhookSignature.HEADER)).isEqualTo(WebhookSignature.sign(SECRET, first.body()));
        assertThat(retry.body()).as("every attempt sends the same bytes").isEqualTo(first.body());
    }

    @Test
    void shouldSignLikeGitHubWebhooks() {
        // the example of GitHub's "Validating webhook deliveries"
        assertThat(WebhookSignature.sign(SECRET, "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void shouldCarryAResolutionAsTheResolvedAlert() throws Exception {
        Alert resolved = anAlert("rebuild/app").page().resolved().build();
        OutboundRequest request = new WebhookTarget(new ForwarderSettings.Webhook(URL, Optional.empty()), RecordJson.create())
                .request(new Change(resolved, change.alert(), change.origin()), T0);

        assertThat(JSON.readTree(request.body()).get("alert").get("status").asText()).isEqualTo("RESOLVED");
    }
}
