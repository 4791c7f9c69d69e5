package dev.repro.alerts;

import static dev.repro.alerts.AlertFixtures.anAlert;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.repro.alerts.TestReceiver.Answer;
import dev.repro.alerts.TestReceiver.Received;
import dev.repro.schema.Alert;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Severity;
import dev.repro.testkit.Eventually;
import dev.repro.testkit.KafkaBroker;

/**
 * A burst of alert changes over many keys; the webhook goes down in the middle of it, the
 * forwarder is stopped while it is down, more changes arrive, then both come back. Every change
 * reaches the webhook exactly once and in order (the target that was down never sees a repeat,
 * because nothing it had not taken was committed and nothing it had taken was left uncommitted),
 * offsets are committed only past delivered changes, the forwarder pauses and yet stays in its
 * group, and the other target goes on meanwhile, seeing repeats only of changes that were not
 * committed when the forwarder stopped (the at-least-once bound).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeliveryFaultIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final String ROUTING_KEY = "R0123456789abcdefghijklmnopqrstu";
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Instant start = Instant.now();

    /** Five changes per key, interleaved across keys: FIRING, FIRING again, RESOLVED, reopened, RESOLVED. */
    private List<Alert> burst(int firstKey, int keys) {
        List<Alert> changes = new ArrayList<>();
        for (int change = 0; change < 5; change++) {
            for (int k = firstKey; k < firstKey + keys; k++) {
                Alert.Builder alert = Alert.newBuilder(anAlert("drift/svc-" + k + "/prod/c1").scope("svc-" + k + "/prod/c1")
                        .firstSeen(start).asOf(start.plusSeconds(change)).count(1 + change - change / 3).build());
                alert.setSeverity(k % 2 == 0 ? Severity.PAGE : Severity.TICKET);
                alert.setStatus(change == 2 || change == 4 ? AlertStatus.RESOLVED : AlertStatus.FIRING);
                changes.add(alert.build());
            }
        }
        return changes;
    }

    private static String change(Alert alert, RecordMetadata at) {
        return alert.getKey() + " " + alert.getStatus() + " " + at.partition() + "/" + at.offset();
    }

    private static String change(Received webhookDelivery) {
        JsonNode body = webhookDelivery.json();
        return body.get("alert").get("key").asText() + " " + body.get("alert").get("status").asText() + " "
                + body.get("delivery").get("partition").asInt() + "/" + body.get("delivery").get("offset").asLong();
    }

    @Test
    void shouldDeliverEveryChangeOnceInOrderAcrossATargetOutageAndAForwarderRestart() throws Exception {
        try (AlertsOnKafka kafka = new AlertsOnKafka(KAFKA, PARTITIONS); TestReceiver webhook = TestReceiver.start();
             TestReceiver pagerDuty = TestReceiver.start()) {
            String group = KAFKA.uniqueName("fault");
            Map<String, String> settings = Map.of(
                    ForwarderSettings.WEBHOOK_URL, webhook.url("/hook").toString(),
                    ForwarderSettings.PAGERDUTY_URL, pagerDuty.url("/v2/enqueue").toString(),
                    ForwarderSettings.PAGERDUTY_ROUTING_KEY, ROUTING_KEY,
                    ForwarderSettings.MAX_PENDING, "40",
                    "KAFKA_MAX_POLL_INTERVAL_MS", "5000");
            AtomicInteger taken = new AtomicInteger();
            webhook.answer(request -> {
                if (taken.incrementAndGet() == 100) {
                    new Thread(webhook::stop, "webhook-outage").start();
                }
                return Answer.status(200);
            });
            List<Alert> changes = new ArrayList<>(burst(0, 80));
            Map<String, Alert> produced = new HashMap<>();

            try (AlertForwarderApp.Running first = Forwarders.start(kafka.config(), group, settings)) {
                List<RecordMetadata> landed = kafka.produceAll(changes);
                for (int i = 0; i < changes.size(); i++) {
                    produced.put(change(changes.get(i), landed.get(i)), changes.get(i));
                }

                Eventually.await("the webhook to go down mid-burst", WAIT, () -> !webhook.listening());
                Eventually.await("the webhook seen down and every partition paused", WAIT, () -> {
                    Map<String, Double> metrics = Forwarders.metrics(first);
                    return metrics.get("repro_alerts_target_up{target=\"webhook\"}") == 0
                            && metrics.get("repro_alerts_paused_partitions") == PARTITIONS;
                });
                assertThat(webhook.accepted(r -> true).size()).as("mid-burst").isLessThan(changes.size());
                assertThat(Forwarders.metric(first, "repro_alerts_retried_total{target=\"webhook\"}")).isPositive();
                Eventually.await("PagerDuty to go on past the webhook, not held back by it", WAIT,
                        () -> pagerDuty.accepted(r -> true).size() > webhook.accepted(r -> true).size() + PARTITIONS);
                Eventually.holds("the forwarder to stay in its group, polling, for longer than max.poll.interval.ms",
                        Duration.ofSeconds(7), () -> Forwarders.metric(first, "repro_alerts_assigned_partitions") == PARTITIONS
                                && stable(kafka, group));
                assertCommittedOnlyPastDelivered(kafka.committed(group), webhook);
            }
            Map<Integer, Long> committedAtStop = kafka.committed(group);
            assertCommittedOnlyPastDelivered(committedAtStop, webhook);
            Map<Integer, Long> end = kafka.endOffsets();
            long uncommittedAtStop = end.keySet().stream().mapToLong(p -> end.get(p) - committedAtStop.getOrDefault(p, 0L)).sum();
            assertThat(uncommittedAtStop).as("the webhook's backlog is still to do").isPositive();

            List<Alert> more = burst(80, 20);
            List<RecordMetadata> landedLater = kafka.produceAll(more);
            for (int i = 0; i < more.size(); i++) {
                produced.put(change(more.get(i), landedLater.get(i)), more.get(i));
            }
            webhook.restart();
            try (AlertForwarderApp.Running second = Forwarders.start(kafka.config(), group, settings)) {
                Eventually.await("every change at the webhook", WAIT, () -> webhook.accepted(r -> true).size() >= produced.size());
                Eventually.await("every offset committed", WAIT, () -> kafka.committedEverything(group));
                assertThat(Forwarders.metric(second, "repro_alerts_target_up{target=\"webhook\"}")).isEqualTo(1.0);
            }

            List<String> atWebhook = webhook.accepted(r -> true).stream().map(DeliveryFaultIT::change).toList();
            assertThat(atWebhook).as("every change, none twice").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(produced.keySet());
            Map<Integer, List<Long>> offsetsByPartition = webhook.accepted(r -> true).stream().map(Received::json)
                    .collect(Collectors.groupingBy(b -> b.get("delivery").get("partition").asInt(),
                            Collectors.mapping(b -> b.get("delivery").get("offset").asLong(), Collectors.toList())));
            offsetsByPartition.forEach((partition, offsets) ->
                    assertThat(offsets).as("partition " + partition + " in offset order").isSorted());

            List<JsonNode> events = pagerDuty.accepted(r -> true).stream().map(Received::json).toList();
            Map<String, Long> expected = produced.values().stream().collect(Collectors.groupingBy(
                    a -> a.getKey() + " " + (a.getStatus() == AlertStatus.FIRING ? "trigger" : "resolve"), Collectors.counting()));
            Map<String, Long> seen = events.stream().collect(Collectors.groupingBy(
                    e -> e.get("dedup_key").asText() + " " + e.get("event_action").asText(), Collectors.counting()));
            assertThat(seen.keySet()).isEqualTo(expected.keySet());
            expected.forEach((what, n) -> assertThat(seen.get(what)).as(what).isGreaterThanOrEqualTo(n));
            assertThat(events.size()).as("repeats only of changes not committed when the forwarder stopped")
                    .isBetween(produced.size(), produced.size() + (int) uncommittedAtStop);
        }
    }

    /** Every offset below a partition's committed offset was taken by the webhook. */
    private static void assertCommittedOnlyPastDelivered(Map<Integer, Long> committed, TestReceiver webhook) {
        Map<Integer, Set<Long>> delivered = webhook.accepted(r -> true).stream().map(Received::json)
                .collect(Collectors.groupingBy(b -> b.get("delivery").get("partition").asInt(),
                        Collectors.mapping(b -> b.get("delivery").get("offset").asLong(), Collectors.toSet())));
        committed.forEach((partition, offset) -> {
            Set<Long> taken = delivered.getOrDefault(partition, Set.of());
            for (long o = 0; o < offset; o++) {
                assertThat(taken).as("partition %d committed at %d", partition, offset).contains(o);
            }
        });
    }

    private static boolean stable(AlertsOnKafka kafka, String group) {
        try {
            ConsumerGroupDescription description = kafka.group(group);
            return description.groupState() == GroupState.STABLE && description.members().size() == 1
                    && description.members().iterator().next().assignment().topicPartitions().size() == PARTITIONS;
        } catch (Exception e) {
            return false;
        }
    }
}
