package dev.repro.sli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;
import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Severity;

class SliDomainTest {

    @Test
    void histogramShouldBeExactForShortValuesAndGiveNearestRankQuantiles() {
        Histogram h = new Histogram();
        for (int k = 1; k <= 10; k++) {
            h.add(k * 1000.0, 1);
        }
        assertThat(h.max()).isEqualTo(10_000.0);
        assertThat(h.quantile(0.5)).isEqualTo(5_000.0);
        assertThat(h.quantile(0.95)).isEqualTo(10_000.0);
        assertThat(h.countAtMost(3_000)).isEqualTo(3);
        h.add(10_000.0, -1);
        assertThat(h.max()).isEqualTo(9_000.0);
        assertThat(Histogram.valueOf(Histogram.binOf(3_600_001.0))).isBetween(3_600_001.0 * (1 - 1.0 / 1024), 3_600_001.0);
    }

    @Test
    void burnShouldReachAFactorExactlyAtItsThreshold() {
        Counts counts = new Counts(28, 100, new Histogram()); // error 0.72
        SliEvaluation.Assessment a = SliEvaluation.assess(Sli.TRACE_CORRELATION_RATE, SliWindow.H1, counts, 0.95);
        assertThat(a.burnsAtLeast(BurnTier.FAST_PAGE.factor())).isTrue();
        assertThat(a.burn().doubleValue()).isEqualTo(14.4);
        Counts below = new Counts(29, 100, new Histogram());
        assertThat(SliEvaluation.assess(Sli.TRACE_CORRELATION_RATE, SliWindow.H1, below, 0.95)
                .burnsAtLeast(BurnTier.FAST_PAGE.factor())).isFalse();
    }

    @Test
    void fastestTierShouldNeedBothWindowsAndTheMinimumOfEvents() {
        ScopeState state = new ScopeState();
        state.sum(SliWindow.H1).add(1, 0, 10, null);
        assertThat(SliEvaluation.fastestTier(Sli.TRACE_CORRELATION_RATE, state, 0.95, 10)).isNull(); // 5m window empty
        state.sum(SliWindow.M5).add(1, 0, 10, null);
        assertThat(SliEvaluation.fastestTier(Sli.TRACE_CORRELATION_RATE, state, 0.95, 10)).isEqualTo(BurnTier.FAST_PAGE);
        assertThat(SliEvaluation.fastestTier(Sli.TRACE_CORRELATION_RATE, state, 0.95, 11)).isNull();
        assertThat(SliEvaluation.fastestTier(Sli.TRACE_CORRELATION_RATE, state, 1.0, 1)).isNull(); // no budget
    }

    private static AlertCondition condition(boolean holds, long minute) {
        return new AlertCondition("drift/x", AlertKind.DRIFT, holds, Severity.PAGE, "x drifted", "x", List.of(), Map.of("b", "2", "a", "1"),
                minute * 60_000);
    }

    @Test
    void lifecycleShouldFireUpdateResolveOnceReopenAndStartOver() {
        AlertLifecycle lifecycle = new AlertLifecycle(Duration.ofMinutes(30));
        AlertLifecycle.Transition t = lifecycle.on(null, condition(true, 0));
        Alert fired = t.emitted().orElseThrow();
        assertThat(fired.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(fired.getCount()).isEqualTo(1);
        t = lifecycle.on(t.state(), condition(true, 5));
        assertThat(t.emitted().orElseThrow().getCount()).isEqualTo(2);
        t = lifecycle.on(t.state(), condition(false, 10));
        assertThat(t.emitted().orElseThrow().getStatus()).isEqualTo(AlertStatus.RESOLVED);
        t = lifecycle.on(t.state(), condition(false, 11));
        assertThat(t.emitted()).isEmpty();
        AlertLifecycle.Transition stale = lifecycle.on(t.state(), condition(true, 9));
        assertThat(stale.emitted()).isEmpty();
        t = lifecycle.on(t.state(), condition(true, 40));
        Alert reopened = t.emitted().orElseThrow();
        assertThat(reopened.getFirstSeen().toEpochMilli()).isZero();
        assertThat(reopened.getCount()).isEqualTo(3);
        t = lifecycle.on(lifecycle.on(t.state(), condition(false, 50)).state(), condition(true, 81));
        assertThat(t.emitted().orElseThrow().getCount()).isEqualTo(1);
        assertThat(t.emitted().orElseThrow().getLabels().keySet()).containsExactly("a", "b");
    }

    @Test
    void configShouldParseTargetsPerSliAndScopeAndRefuseBadOnes() {
        SliConfig config = SliConfig.from(ReproConfig.of(Map.of(SliConfig.TARGETS,
                "replay_success_rate=0.95, replay_success_rate@service:payments=0.99", SliConfig.GRACE, "2h")));
        assertThat(config.targets().target(Sli.REPLAY_SUCCESS_RATE, "global")).isEqualTo(0.95);
        assertThat(config.targets().target(Sli.REPLAY_SUCCESS_RATE, "service:payments")).isEqualTo(0.99);
        assertThat(config.targets().target(Sli.ARTIFACT_REPRODUCIBILITY_RATE, "global")).isEqualTo(0.95);
        assertThat(config.grace()).isEqualTo(Duration.ofHours(2));
        assertThat(config.bind().getPort()).isEqualTo(8081);
        assertThat(config.isProduction("Production")).isTrue();
        assertThatThrownBy(() -> SliTargets.parse(SliConfig.TARGETS, "nope=0.9")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("REPRO_SLI_TARGETS");
        assertThatThrownBy(() -> SliTargets.parse(SliConfig.TARGETS, "replay_success_rate=1.5"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> SliConfig.from(ReproConfig.of(Map.of(SliConfig.BIND, "nowhere"))))
                .hasMessageContaining("REPRO_SLI_BIND");
    }
}
