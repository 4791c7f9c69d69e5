package dev.repro.alerts;

import static dev.repro.alerts.AlertFixtures.anAlert;
import static dev.repro.alerts.TargetKind.ALERTMANAGER;
import static dev.repro.alerts.TargetKind.PAGERDUTY;
import static dev.repro.alerts.TargetKind.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.repro.schema.Alert;

/** PAGE → PagerDuty + Alertmanager, TICKET → webhook only. */
class RoutingTest {

    private final Routing routing = new Routing(Set.of(PAGERDUTY, ALERTMANAGER), Set.of(WEBHOOK));

    @Test
    void shouldSendAChangeToTheTargetsOfItsSeverity() {
        assertThat(routing.targetsFor(null, anAlert("k").page().build())).containsExactlyInAnyOrder(ALERTMANAGER, PAGERDUTY);
        assertThat(routing.targetsFor(null, anAlert("k").ticket().build())).containsExactly(WEBHOOK);
        assertThat(routing.targetsFor(null, anAlert("k").ticket().resolved().build())).containsExactly(WEBHOOK);
    }

    @Test
    void shouldTellEveryTargetHoldingTheAlertOpenHowItEnded() {
        Alert paged = anAlert("k").page().build();

        assertThat(routing.targetsFor(paged, anAlert("k").ticket().build()))
                .as("downgraded to TICKET: the pager hears of it, and the webhook gets the ticket")
                .containsExactlyInAnyOrder(ALERTMANAGER, PAGERDUTY, WEBHOOK);
        assertThat(routing.targetsFor(paged, anAlert("k").ticket().resolved().build()))
                .as("resolved with another severity").containsExactlyInAnyOrder(ALERTMANAGER, PAGERDUTY, WEBHOOK);
        assertThat(routing.targetsFor(anAlert("k").page().resolved().build(), anAlert("k").ticket().build()))
                .as("a resolved alert is open nowhere").containsExactly(WEBHOOK);
    }

    @Test
    void shouldSayWhereAnAlertIsOpen() {
        assertThat(routing.openAt(PAGERDUTY, anAlert("k").page().build())).isTrue();
        assertThat(routing.openAt(PAGERDUTY, anAlert("k").ticket().build())).isFalse();
        assertThat(routing.openAt(PAGERDUTY, anAlert("k").page().resolved().build())).isFalse();
        assertThat(routing.openAt(PAGERDUTY, null)).isFalse();
        assertThat(routing.describe()).isEqualTo("PAGE -> alertmanager, pagerduty; TICKET -> webhook");
    }
}
