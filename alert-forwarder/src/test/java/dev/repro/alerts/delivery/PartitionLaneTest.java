package dev.repro.alerts.delivery;

import static dev.repro.alerts.AlertFixtures.T0;
import static dev.repro.alerts.AlertFixtures.anAlert;
import static dev.repro.alerts.TargetKind.ALERTMANAGER;
import static dev.repro.alerts.TargetKind.PAGERDUTY;
import static dev.repro.alerts.TargetKind.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.repro.alerts.Routing;
import dev.repro.alerts.TargetKind;
import dev.repro.alerts.target.Change;
import dev.repro.schema.Alert;
import dev.repro.streams.DeadLetters;

class PartitionLaneTest {

    private static final Set<TargetKind> ALL = Set.of(ALERTMANAGER, WEBHOOK, PAGERDUTY);
    private final Routing routing = new Routing(ALL, ALL);

    private static PendingChange add(PartitionLane lane, long offset, Alert alert, Set<TargetKind> targets) {
        DeadLetters.Origin origin = new DeadLetters.Origin("repro.alerts", 0, offset, T0.toEpochMilli());
        return lane.add(alert.getKey(), new byte[] {1}, origin, new Change(alert, lane.latest(alert.getKey()), origin), targets,
                false);
    }

    @Test
    void shouldNeverCommitPastAChangeSomeTargetHasNotTaken() {
        PartitionLane lane = new PartitionLane(10, routing, ALL);
        PendingChange first = add(lane, 10, anAlert("a").build(), Set.of(WEBHOOK, PAGERDUTY));
        PendingChange second = add(lane, 11, anAlert("b").build(), Set.of(WEBHOOK));

        assertThat(lane.commitOffset()).isEqualTo(10);
        lane.sending(WEBHOOK);
        lane.delivered(WEBHOOK, first);
        lane.sending(WEBHOOK);
        lane.delivered(WEBHOOK, second);
        assertThat(lane.commitOffset()).as("the pager has not taken offset 10 yet").isEqualTo(10);
        assertThat(lane.pending()).isEqualTo(2);

        lane.sending(PAGERDUTY);
        lane.delivered(PAGERDUTY, first);
        assertThat(lane.commitOffset()).isEqualTo(12);
        assertThat(lane.pending()).isZero();
    }

    @Test
    void shouldDeliverToEachTargetInOffsetOrderOneAtATimeWithoutWaitingForTheOthers() {
        PartitionLane lane = new PartitionLane(0, routing, ALL);
        PendingChange first = add(lane, 0, anAlert("a").build(), ALL);
        PendingChange second = add(lane, 1, anAlert("a").resolved().build(), ALL);

        assertThat(lane.next(WEBHOOK, T0)).contains(first);
        lane.sending(WEBHOOK);
        assertThat(lane.next(WEBHOOK, T0)).as("one request in flight per target").isEmpty();
        lane.delivered(WEBHOOK, first);
        assertThat(lane.next(WEBHOOK, T0)).as("the webhook goes on while the others have not started").contains(second);
        assertThat(lane.next(PAGERDUTY, T0)).contains(first);
        assertThatThrownBy(() -> lane.delivered(PAGERDUTY, second)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldWaitForTheBackoffAfterAFailure() {
        PartitionLane lane = new PartitionLane(0, routing, ALL);
        PendingChange change = add(lane, 0, anAlert("a").build(), Set.of(WEBHOOK));
        assertThat(lane.nextAttempt()).as("at once").contains(Instant.MIN);
        lane.sending(WEBHOOK);
        assertThat(lane.busy()).isTrue();
        assertThat(lane.nextAttempt()).as("in flight").isEmpty();

        lane.failed(WEBHOOK, T0.plusSeconds(2));

        assertThat(lane.busy()).isFalse();
        assertThat(lane.failures(WEBHOOK)).isEqualTo(1);
        assertThat(lane.next(WEBHOOK, T0.plusSeconds(1))).isEmpty();
        assertThat(lane.nextAttempt()).contains(T0.plusSeconds(2));
        assertThat(lane.next(WEBHOOK, T0.plusSeconds(2))).contains(change);
        lane.sending(WEBHOOK);
        assertThat(lane.delivered(WEBHOOK, change)).as("failures before this delivery").isEqualTo(1);
        assertThat(lane.failures(WEBHOOK)).isZero();
        assertThat(lane.nextAttempt()).isEmpty();
    }

    @Test
    void shouldHoldTheCommitForAnUndecodableRecordUntilItsDeadLetterIsWritten() {
        PartitionLane lane = new PartitionLane(0, routing, ALL);
        DeadLetters.Origin origin = new DeadLetters.Origin("repro.alerts", 0, 0, 0);
        PendingChange poison = lane.add("k", new byte[] {0}, origin, null, Set.of(), true);
        DeadLetters.Origin tombstoneAt = new DeadLetters.Origin("repro.alerts", 0, 1, 0);
        lane.add("k", null, tombstoneAt, null, Set.of(), false);

        assertThat(lane.commitOffset()).isZero();
        lane.deadLettered(poison);
        assertThat(lane.commitOffset()).as("the tombstone after it needs nothing").isEqualTo(2);
    }

    @Test
    void shouldLearnHistoryBelowTheCommittedOffsetWithoutDeliveringIt() {
        PartitionLane lane = new PartitionLane(5, routing, ALL);

        assertThat(lane.replaying(4)).isTrue();
        assertThat(lane.replaying(5)).isFalse();
        lane.replay(anAlert("a").page().build());
        lane.replay(anAlert("b").build());
        lane.replay(anAlert("b").resolved().build());

        assertThat(lane.latest("b").getStatus().name()).isEqualTo("RESOLVED");
        assertThat(lane.openAtAlertmanager()).extracting(Alert::getKey).containsExactly("a");
        assertThat(lane.pending()).isZero();
        assertThat(lane.commitOffset()).isEqualTo(5);
    }

    @Test
    void shouldTrackTheAlertsOpenInAlertmanagerFromWhatItAcceptedAndKeepThemAlive() {
        PartitionLane lane = new PartitionLane(0, routing, ALL);
        PendingChange firing = add(lane, 0, anAlert("a").build(), Set.of(ALERTMANAGER));
        lane.requestKeepalive();
        assertThat(lane.keepaliveDue(T0)).as("nothing is open yet").isFalse();

        lane.sending(ALERTMANAGER);
        lane.delivered(ALERTMANAGER, firing);
        assertThat(lane.openAtAlertmanager()).extracting(Alert::getKey).containsExactly("a");
        lane.requestKeepalive();
        assertThat(lane.keepaliveDue(T0)).isTrue();
        lane.sending(ALERTMANAGER);
        assertThat(lane.keepaliveDue(T0)).as("not while a request is in flight").isFalse();
        lane.keepaliveSent();
        assertThat(lane.keepaliveDue(T0)).isFalse();

        PendingChange resolved = add(lane, 1, anAlert("a").resolved().build(), Set.of(ALERTMANAGER));
        lane.sending(ALERTMANAGER);
        lane.delivered(ALERTMANAGER, resolved);
        assertThat(lane.openAtAlertmanager()).isEmpty();
    }

    @Test
    void shouldStopKeepingAliveAnAlertAlertmanagerRefused() {
        PartitionLane lane = new PartitionLane(0, routing, ALL);
        PendingChange accepted = add(lane, 0, anAlert("a").build(), Set.of(ALERTMANAGER));
        lane.sending(ALERTMANAGER);
        lane.delivered(ALERTMANAGER, accepted);
        PendingChange refused = add(lane, 1, anAlert("a").count(2).build(), Set.of(ALERTMANAGER));
        lane.sending(ALERTMANAGER);

        lane.refused(ALERTMANAGER, refused);

        assertThat(lane.openAtAlertmanager()).isEmpty();
        assertThat(lane.commitOffset()).as("parked counts as done").isEqualTo(2);
    }

    @Test
    void shouldRememberTheLatestChangeOfEachKey() {
        PartitionLane lane = new PartitionLane(0, routing, ALL);
        Alert first = anAlert("a").build();
        add(lane, 0, first, Set.of());
        PendingChange second = add(lane, 1, anAlert("a").asOf(T0.plusSeconds(1)).count(2).build(), Set.of());

        assertThat(second.change().previous()).isEqualTo(first);
        assertThat(lane.latest("a").getCount()).isEqualTo(2);
        assertThat(lane.latest("b")).isNull();
        assertThat(lane.next(WEBHOOK, Instant.MAX)).isEmpty();
    }
}
