package dev.repro.alerts;

import static dev.repro.alerts.AlertFixtures.anAlert;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.repro.alerts.TestReceiver.Answer;
import dev.repro.alerts.TestReceiver.Received;
import dev.repro.schema.Alert;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.testkit.Eventually;
import dev.repro.testkit.KafkaBroker;

/** Webhook signatures and payloads, refusals parked in the dead-letter topic, PagerDuty events and severity routing, on a real broker. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ForwardingIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final String SECRET = "webhook-secret-0123456789";
    private static final String ROUTING_KEY = "R0123456789abcdefghijklmnopqrstu";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Instant now = Instant.now();

    /** The receiver's own check, as a webhook consumer writes it: HMAC-SHA256 of the raw body, compared in constant time. */
    private static boolean signedWith(String secret, Received request) throws Exception {
        String header = request.header("X-Repro-Signature-256");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body()));
        return header != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }

    private static Answer verifying(Received request) {
        try {
            return signedWith(SECRET, request) ? Answer.status(204)
                    : Answer.status(401, "{\"error\":\"signature does not match\"}");
        } catch (Exception e) {
            return Answer.status(500);
        }
    }

    @Test
    void shouldDeliverSignedContractJsonThatTheReceiverVerifiesAndParkWhatAWrongSecretGetsRefused() throws Exception {
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, 3); TestReceiver webhook = TestReceiver.start()) {
            webhook.answer(ForwardingIT::verifying);
            Alert alert = anAlert("replay/sha256:aa").page().firstSeen(now).label("service", "trainer").build();
            RecordMetadata at = kafka.produce(alert);

            try (AlertForwarderApp.Running forwarder = Forwarders.start(kafka.config(), KAFKA.uniqueName("signed"), Map.of(
                    ForwarderSettings.WEBHOOK_URL, webhook.url("/hooks/repro").toString(),
                    ForwarderSettings.WEBHOOK_HMAC_SECRET, SECRET))) {
                Eventually.await("the signed delivery", WAIT, () -> !webhook.accepted(r -> true).isEmpty());
                Forwarders.assertCounterReaches(forwarder, "repro_alerts_forwarded_total{target=\"webhook\",status=\"FIRING\"}", 1.0);
            }

            Received delivered = webhook.accepted(r -> true).get(0);
            assertThat(signedWith(SECRET, delivered)).isTrue();
            assertThat(signedWith("another-secret-of-length", delivered)).isFalse();
            JsonNode body = delivered.json();
            assertThat(body.get("alert").get("key").asText()).isEqualTo("replay/sha256:aa");
            assertThat(body.get("alert").get("kind").asText()).isEqualTo("REPLAY_FAILED");
            assertThat(body.get("alert").get("severity").asText()).isEqualTo("PAGE");
            assertThat(body.get("alert").get("status").asText()).isEqualTo("FIRING");
            assertThat(body.get("alert").get("first_seen").asLong()).isEqualTo(now.toEpochMilli());
            assertThat(body.get("alert").get("labels").get("service").asText()).isEqualTo("trainer");
            assertThat(body.get("alert").get("evidence").get(0).get("key").asText()).isEqualTo("run-1");
            String id = kafka.alertsTopic() + "/" + at.partition() + "/" + at.offset();
            assertThat(body.get("delivery").get("id").asText()).isEqualTo(id);
            assertThat(body.get("delivery").get("offset").asLong()).isEqualTo(at.offset());
            assertThat(delivered.header("Idempotency-Key")).isEqualTo(id);
            assertThat(delivered.path()).isEqualTo("/hooks/repro");

            try (AlertForwarderApp.Running wrongSecret = Forwarders.start(kafka.config(), KAFKA.uniqueName("wrong-secret"), Map.of(
                    ForwarderSettings.WEBHOOK_URL, webhook.url("/hooks/repro").toString(),
                    ForwarderSettings.WEBHOOK_HMAC_SECRET, "not-the-receivers-secret"))) {
                Eventually.await("the refusal to be parked", WAIT,
                        () -> Forwarders.metric(wrongSecret, "repro_alerts_parked_total{target=\"webhook\"}") == 1.0);
            }
            assertThat(webhook.received()).filteredOn(r -> r.status() == 401).hasSize(1);
            RejectedEvent parked = kafka.deadLetters().get(0);
            assertThat(parked.getRule()).isEqualTo("refused-by-webhook");
            assertThat(parked.getReason()).isEqualTo("webhook refused the alert: HTTP 401: {\"error\":\"signature does not match\"}");
            assertThat(parked.getReason()).doesNotContain("not-the-receivers-secret");
            assertThat(parked.getId()).isEqualTo(id);
        }
    }

    @Test
    void shouldParkAnAlertTheTargetRefusesAndGoOnWithTheNext() throws Exception {
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, 1); TestReceiver webhook = TestReceiver.start()) {
            webhook.answer(r -> r.json().get("alert").get("key").asText().equals("rebuild/refused")
                    ? Answer.status(422, "{\"error\":\"unknown service\",\n\"detail\":\"no route for rebuild/refused\"}")
                    : Answer.status(200));
            Alert refused = anAlert("rebuild/refused").firstSeen(now).build();
            kafka.produce(anAlert("rebuild/before").firstSeen(now).build());
            RecordMetadata refusedAt = kafka.produce(refused);
            kafka.produce(anAlert("rebuild/after").firstSeen(now).build());
            kafka.produceRaw("poison", "not an alert".getBytes(StandardCharsets.UTF_8));
            kafka.produce(anAlert("rebuild/after-poison").firstSeen(now).build());
            String group = KAFKA.uniqueName("refusals");

            try (AlertForwarderApp.Running forwarder = Forwarders.start(kafka.config(), group, Map.of(
                    ForwarderSettings.WEBHOOK_URL, webhook.url("/hook").toString()))) {
                Eventually.await("the alerts after the refused one", WAIT,
                        () -> webhook.accepted(r -> r.json().get("alert").get("key").asText().equals("rebuild/after-poison")).size() == 1);
                Eventually.await("every offset committed", WAIT, () -> kafka.committedEverything(group));
                Forwarders.assertCounterReaches(forwarder, "repro_alerts_parked_total{target=\"webhook\"}", 1.0);
                Forwarders.assertCounterReaches(forwarder, "repro_alerts_undecodable_total", 1.0);
                Forwarders.assertCounterReaches(forwarder, "repro_alerts_forwarded_total{target=\"webhook\",status=\"FIRING\"}", 3.0);
            }

            assertThat(webhook.accepted(r -> true)).extracting(r -> r.json().get("alert").get("key").asText())
                    .containsExactly("rebuild/before", "rebuild/after", "rebuild/after-poison");
            assertThat(webhook.received()).filteredOn(r -> r.status() == 422).as("refused once, never retried").hasSize(1);
            List<RejectedEvent> letters = kafka.deadLetters();
            assertThat(letters).hasSize(2);
            RejectedEvent parked = letters.stream().filter(l -> "refused-by-webhook".equals(l.getRule())).findFirst().orElseThrow();
            assertThat(parked.getReason()).isEqualTo("webhook refused the alert: HTTP 422: {\"error\":\"unknown service\","
                    + " \"detail\":\"no route for rebuild/refused\"}");
            assertThat(parked.getTopic()).isEqualTo(kafka.alertsTopic());
            assertThat(parked.getPartition()).isEqualTo(refusedAt.partition());
            assertThat(parked.getOffset()).isEqualTo(refusedAt.offset());
            byte[] raw = new byte[parked.getRaw().remaining()];
            parked.getRaw().duplicate().get(raw);
            assertThat(AvroSerdes.create().deserialize(Alert.class, raw)).as("the refused alert, verbatim").isEqualTo(refused);
            RejectedEvent poison = letters.stream().filter(l -> "undecodable-record".equals(l.getRule())).findFirst().orElseThrow();
            assertThat(poison.getOffset()).isEqualTo(refusedAt.offset() + 2);
        }
    }

    @Test
    void shouldRoutePagesToPagerDutyAndTicketsToTheWebhookWithEventsV2Payloads() throws Exception {
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, 3); TestReceiver pagerDuty = TestReceiver.start();
             TestReceiver webhook = TestReceiver.start()) {
            pagerDuty.answer(r -> Answer.status(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                    + r.json().get("dedup_key").asText() + "\"}"));
            kafka.produceAll(List.of(
                    anAlert("replay/sha256:p1").page().firstSeen(now).runbook("https://runbooks.example/replay-failed").build(),
                    anAlert("rebuild/t1").ticket().firstSeen(now).build(),
                    anAlert("drift/d1/prod/c1").page().firstSeen(now).build(),
                    anAlert("replay/sha256:p1").page().resolved().firstSeen(now).asOf(now.plusSeconds(1)).build(),
                    anAlert("rebuild/t1").ticket().resolved().firstSeen(now).asOf(now.plusSeconds(1)).build(),
                    anAlert("drift/d1/prod/c1").ticket().firstSeen(now).asOf(now.plusSeconds(2)).count(2).build()));

            try (AlertForwarderApp.Running forwarder = Forwarders.start(kafka.config(), KAFKA.uniqueName("routing"), Map.of(
                    ForwarderSettings.PAGERDUTY_URL, pagerDuty.url("/v2/enqueue").toString(),
                    ForwarderSettings.PAGERDUTY_ROUTING_KEY, ROUTING_KEY,
                    ForwarderSettings.WEBHOOK_URL, webhook.url("/hook").toString(),
                    ForwarderSettings.PAGE_TARGETS, "pagerduty",
                    ForwarderSettings.TICKET_TARGETS, "webhook"))) {
                Eventually.await("4 PagerDuty events and 3 webhook deliveries", WAIT,
                        () -> pagerDuty.accepted(r -> true).size() == 4 && webhook.accepted(r -> true).size() == 3);
                // the RESOLVED of the page; the downgrade's resolve counts as its FIRING change
                Forwarders.assertCounterReaches(forwarder, "repro_alerts_forwarded_total{target=\"pagerduty\",status=\"RESOLVED\"}", 1.0);
            }

            List<JsonNode> events = pagerDuty.accepted(r -> true).stream().map(Received::json).toList();
            assertThat(events).allSatisfy(e -> assertThat(e.get("routing_key").asText()).isEqualTo(ROUTING_KEY));
            assertThat(events).extracting(e -> e.get("dedup_key").asText() + " " + e.get("event_action").asText())
                    .containsExactlyInAnyOrder("replay/sha256:p1 trigger", "replay/sha256:p1 resolve",
                            "drift/d1/prod/c1 trigger", "drift/d1/prod/c1 resolve");
            assertThat(events).extracting(e -> e.get("dedup_key").asText()).filteredOn("replay/sha256:p1"::equals).hasSize(2);
            assertThat(events.stream().filter(e -> e.get("dedup_key").asText().equals("replay/sha256:p1")).map(
                    e -> e.get("event_action").asText())).as("in order per key").containsExactly("trigger", "resolve");
            JsonNode trigger = events.stream().filter(e -> e.get("dedup_key").asText().equals("replay/sha256:p1")).findFirst().orElseThrow();
            assertThat(trigger.get("payload").get("summary").asText()).isEqualTo("job train does not replay: replay/sha256:p1");
            assertThat(trigger.get("payload").get("source").asText()).isEqualTo("sha256:c1");
            assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
            assertThat(trigger.get("payload").get("custom_details").get("evidence").get(0).get("kind").asText())
                    .isEqualTo("REPLAY_VERDICT");
            assertThat(trigger.get("links").get(0).get("href").asText()).isEqualTo("https://runbooks.example/replay-failed");
            assertThat(pagerDuty.received().get(0).path()).isEqualTo("/v2/enqueue");

            assertThat(webhook.accepted(r -> true)).extracting(r -> r.json().get("alert").get("key").asText() + " "
                    + r.json().get("alert").get("status").asText() + " " + r.json().get("alert").get("severity").asText())
                    .as("tickets only, and the page downgraded to a ticket")
                    .containsExactlyInAnyOrder("rebuild/t1 FIRING TICKET", "rebuild/t1 RESOLVED TICKET", "drift/d1/prod/c1 FIRING TICKET");
        }
    }
}
