package dev.repro.sli;

import static dev.repro.sli.Fixtures.aDrift;
import static dev.repro.sli.Fixtures.aRebuildVerdict;
import static dev.repro.sli.Fixtures.aReplayVerdict;
import static dev.repro.sli.Fixtures.aRun;
import static dev.repro.sli.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Criticality;
import dev.repro.schema.DriftState;
import dev.repro.schema.EvidenceKind;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.Severity;
import dev.repro.schema.SliValue;

/** Every alert kind of contract section 8 through the topology: severities, lifecycle, burn tiers. */
class SliTopologyAlertTest {

    private static final String TRACE_KEY = "slo/trace_correlation_rate/global";

    private SliDriver driver = new SliDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldPageAFailedReplayOfAProductionJobAndResolveItOnceOnAMatch() {
        driver.pipe(aReplayVerdict("a", ReplayStatus.MISMATCH, at(1)).setCodeDigest("sha256:c1").build(),
                aReplayVerdict("b", ReplayStatus.MATCH, at(20)).setCodeDigest("sha256:c1").build(),
                aReplayVerdict("c", ReplayStatus.MATCH, at(21)).setCodeDigest("sha256:c1").build());

        List<Alert> alerts = driver.alerts("replay/sha256:c1");
        assertThat(alerts).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        Alert firing = alerts.get(0);
        assertThat(firing.getKind()).isEqualTo(AlertKind.REPLAY_FAILED);
        assertThat(firing.getSeverity()).isEqualTo(Severity.PAGE);
        assertThat(firing.getScope()).isEqualTo("sha256:c1");
        assertThat(firing.getFirstSeen()).isEqualTo(at(1));
        assertThat(firing.getCount()).isEqualTo(1);
        assertThat(firing.getRunbook()).isEqualTo("docs/runbooks/replay-failed.md");
        assertThat(firing.getEvidence()).singleElement().satisfies(e -> {
            assertThat(e.getKind()).isEqualTo(EvidenceKind.REPLAY_VERDICT);
            assertThat(e.getKey()).isEqualTo("a");
        });
        assertThat(firing.getLabels()).containsEntry("job", "train").containsEntry("service", "payments");
        assertThat(alerts.get(1).getAsOf()).isEqualTo(at(20));
    }

    @Test
    void shouldTicketAFailedReplayOfANonProductionJob() {
        driver.pipe(aReplayVerdict("a", ReplayStatus.REPLAY_FAILED, at(1)).setCodeDigest("sha256:c2")
                .setCriticality(Criticality.NON_PRODUCTION).build());

        assertThat(driver.lastAlert("replay/sha256:c2").getSeverity()).isEqualTo(Severity.TICKET);
    }

    @Test
    void shouldIgnoreAnOlderVerdictArrivingAfterANewerOne() {
        driver.pipe(aReplayVerdict("b", ReplayStatus.MATCH, at(20)).setCodeDigest("sha256:c3").build(),
                aReplayVerdict("a", ReplayStatus.MISMATCH, at(1)).setCodeDigest("sha256:c3").build());

        assertThat(driver.alerts("replay/sha256:c3")).isEmpty();
    }

    @Test
    void shouldTicketAnUnreproducibleBuildAndPageARegression() {
        driver.pipe(aRebuildVerdict("lib", "c1", RebuildStatus.UNREPRODUCIBLE, at(1), 1, 1).build(),
                aRebuildVerdict("app", "c1", RebuildStatus.UNREPRODUCIBLE, at(2), 1, 1).setRegression(true).build(),
                aRebuildVerdict("app", "c2", RebuildStatus.PENDING, at(3), 1).build(),
                aRebuildVerdict("app", "c2", RebuildStatus.REPRODUCIBLE, at(4), 2).build());

        Alert lib = driver.lastAlert("rebuild/lib");
        assertThat(lib.getKind()).isEqualTo(AlertKind.UNREPRODUCIBLE_BUILD);
        assertThat(lib.getSeverity()).isEqualTo(Severity.TICKET);
        assertThat(lib.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(lib.getRunbook()).isEqualTo("docs/runbooks/unreproducible-build.md");
        List<Alert> app = driver.alerts("rebuild/app");
        assertThat(app).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(app.get(0).getSeverity()).isEqualTo(Severity.PAGE);
        assertThat(app.get(0).getSummary()).contains("regression");
        assertThat(app.get(0).getEvidence().get(0).getKey()).isEqualTo("app@c1#" + Fixtures.SHA);
    }

    @Test
    void shouldPageDriftInProductionAndTicketItElsewhere() {
        driver.pipe(aDrift("payments", "production", DriftState.DRIFTED, "i1", at(1), at(11)).build(),
                aDrift("payments", "staging", DriftState.UNVERIFIABLE, "i2", at(1), at(12)).build(),
                aDrift("payments", "production", DriftState.IN_SYNC, null, null, at(13)).build());

        List<Alert> prod = driver.alerts("drift/payments/production/eu-1");
        assertThat(prod).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(prod.get(0).getSeverity()).isEqualTo(Severity.PAGE);
        assertThat(prod.get(0).getKind()).isEqualTo(AlertKind.DRIFT);
        assertThat(prod.get(0).getRunbook()).isEqualTo("docs/runbooks/drift.md");
        assertThat(driver.lastAlert("drift/payments/staging/eu-1").getSeverity()).isEqualTo(Severity.TICKET);
    }

    @Test
    void shouldReopenTheSameAlertWhenTheConditionReturnsWithinTheFlapWindow() {
        String key = "drift/payments/prod/eu-1";
        driver.pipe(aDrift("payments", "prod", DriftState.DRIFTED, "i1", at(0), at(0)).build(),
                aDrift("payments", "prod", DriftState.IN_SYNC, null, null, at(10)).build(),
                // back 20 minutes after RESOLVED: within the 30-minute flap window
                aDrift("payments", "prod", DriftState.DRIFTED, "i2", at(30), at(30)).build(),
                aDrift("payments", "prod", DriftState.IN_SYNC, null, null, at(40)).build(),
                // back 31 minutes after RESOLVED: a new alert
                aDrift("payments", "prod", DriftState.DRIFTED, "i3", at(71), at(71)).build());

        List<Alert> alerts = driver.alerts(key);
        assertThat(alerts).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED,
                AlertStatus.FIRING, AlertStatus.RESOLVED, AlertStatus.FIRING);
        Alert reopened = alerts.get(2);
        assertThat(reopened.getFirstSeen()).isEqualTo(at(0));
        assertThat(reopened.getCount()).isEqualTo(2);
        assertThat(reopened.getLastSeen()).isEqualTo(at(30));
        Alert fresh = alerts.get(4);
        assertThat(fresh.getFirstSeen()).isEqualTo(at(71));
        assertThat(fresh.getCount()).isEqualTo(1);
    }

    /** {@code bad} untraced runs after {@code total - bad} traced ones, all in the bucket at T0. */
    private void runs(int total, int bad) {
        for (int i = 0; i < total; i++) {
            driver.pipe(aRun("r" + i, at(1)).setTraceId(i < total - bad ? "trace" : null).build());
        }
    }

    private void withTraceTarget95() {
        driver.close();
        driver = new SliDriver("trace_correlation_rate=0.95", 10);
    }

    @Test
    void shouldPageAtTheFastTierThresholdOf14Point4() {
        withTraceTarget95();
        runs(25, 18); // error 0.72 = 14.4 × 0.05

        Alert alert = driver.lastAlert(TRACE_KEY);
        assertThat(alert.getKind()).isEqualTo(AlertKind.SLO_BURN);
        assertThat(alert.getSeverity()).isEqualTo(Severity.PAGE);
        assertThat(alert.getLabels()).containsEntry("burn_tier", "14.4x over 1h and 5m");
        assertThat(alert.getEvidence()).extracting(e -> e.getKey())
                .startsWith("trace_correlation_rate/global/5m", "trace_correlation_rate/global/1h");
        assertThat(alert.getRunbook()).isEqualTo("docs/runbooks/slo-burn.md");
        assertThat(driver.sli("trace_correlation_rate", "global", "1h").getBurnRate()).isEqualTo(14.4);
    }

    @Test
    void shouldNotPageAtTheFastTierJustBelowItsThreshold() {
        withTraceTarget95();
        runs(25, 17); // error 0.68: burn 13.6, the 6x tier holds

        assertThat(driver.alerts(TRACE_KEY)).noneMatch(a -> "14.4x over 1h and 5m".equals(a.getLabels().get("burn_tier")));
        assertThat(driver.lastAlert(TRACE_KEY).getLabels()).containsEntry("burn_tier", "6x over 6h and 30m");
        assertThat(driver.lastAlert(TRACE_KEY).getSeverity()).isEqualTo(Severity.PAGE);
    }

    @Test
    void shouldPageAtTheSlowPageTierThresholdOf6AndTicketBelowIt() {
        withTraceTarget95();
        runs(20, 6); // error 0.30 = 6 × 0.05
        assertThat(driver.lastAlert(TRACE_KEY).getSeverity()).isEqualTo(Severity.PAGE);
        assertThat(driver.lastAlert(TRACE_KEY).getLabels()).containsEntry("burn_tier", "6x over 6h and 30m");

        withTraceTarget95();
        runs(20, 5); // error 0.25: burn 5
        assertThat(driver.alerts(TRACE_KEY)).allMatch(a -> a.getSeverity() == Severity.TICKET);
        assertThat(driver.lastAlert(TRACE_KEY).getLabels()).containsEntry("burn_tier", "3x over 1d and 2h");
    }

    @Test
    void shouldTicketAtTheFastTicketTierThresholdOf3() {
        withTraceTarget95();
        runs(20, 3); // error 0.15 = 3 × 0.05
        assertThat(driver.lastAlert(TRACE_KEY).getSeverity()).isEqualTo(Severity.TICKET);
        assertThat(driver.lastAlert(TRACE_KEY).getLabels()).containsEntry("burn_tier", "3x over 1d and 2h");

        withTraceTarget95();
        runs(20, 2); // error 0.10: burn 2
        assertThat(driver.alerts(TRACE_KEY)).noneMatch(a -> "3x over 1d and 2h".equals(a.getLabels().get("burn_tier")));
        assertThat(driver.lastAlert(TRACE_KEY).getLabels()).containsEntry("burn_tier", "1x over 3d and 6h");
    }

    @Test
    void shouldTicketAtTheSlowTicketTierThresholdOf1() {
        withTraceTarget95();
        runs(20, 1); // error 0.05 = 1 × 0.05
        assertThat(driver.lastAlert(TRACE_KEY).getSeverity()).isEqualTo(Severity.TICKET);
        assertThat(driver.lastAlert(TRACE_KEY).getLabels()).containsEntry("burn_tier", "1x over 3d and 6h");

        withTraceTarget95();
        runs(21, 1); // error 1/21 < 0.05
        assertThat(driver.alerts(TRACE_KEY)).isEmpty();
    }

    @Test
    void shouldSendNoSloBurnBelowTheMinimumOfEventsInTheLongWindow() {
        withTraceTarget95();
        runs(9, 9);
        assertThat(driver.alerts(TRACE_KEY)).isEmpty();
        assertThat(driver.sli("trace_correlation_rate", "global", "1h").getBurnRate()).isEqualTo(20.0);

        driver.pipe(aRun("tenth", at(1)).setTraceId(null).build());
        assertThat(driver.lastAlert(TRACE_KEY).getSeverity()).isEqualTo(Severity.PAGE);
    }

    @Test
    void shouldHoldBackSlowerTiersWhileAFasterFiresThenResolveOnce() {
        withTraceTarget95();
        runs(10, 10);
        // every tier holds; only the fastest was sent
        List<Alert> firing = driver.alerts(TRACE_KEY);
        assertThat(firing).singleElement().satisfies(a -> {
            assertThat(a.getSeverity()).isEqualTo(Severity.PAGE);
            assertThat(a.getLabels()).containsEntry("burn_tier", "14.4x over 1h and 5m");
        });
        SliValue d1 = driver.sli("trace_correlation_rate", "global", "1d");
        assertThat(d1.getBurnRate()).isGreaterThanOrEqualTo(3.0);

        // more failures while the fast tier still holds: nothing new is sent
        driver.pipe(aRun("more", at(2)).setTraceId(null).build());
        assertThat(driver.alerts(TRACE_KEY)).hasSize(1);

        // 40 good runs an hour later: 5m window clean, but 6h and 30m still burn ≥ 6 → the slow page tier takes over
        for (int i = 0; i < 12; i++) {
            driver.pipe(aRun("ok" + i, at(30)).build());
        }
        Alert slower = driver.lastAlert(TRACE_KEY);
        assertThat(slower.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(slower.getLabels().get("burn_tier")).isNotEqualTo("14.4x over 1h and 5m");
        assertThat(slower.getCount()).isGreaterThan(1);

        // three days later only good runs: every tier clear → RESOLVED exactly once
        for (int i = 0; i < 30; i++) {
            driver.pipe(aRun("later" + i, at(3 * 24 * 60 + 10)).build());
        }
        List<Alert> all = driver.alerts(TRACE_KEY);
        assertThat(all.stream().filter(a -> a.getStatus() == AlertStatus.RESOLVED)).hasSize(1);
        assertThat(all.get(all.size() - 1).getStatus()).isEqualTo(AlertStatus.RESOLVED);
    }
}
