package dev.repro.sli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;

import dev.repro.schema.SliValue;

/**
 * Turns a window's counts into the SLI's value, error budget remaining and burn rate (contract
 * section 7), and finds the fastest burn-rate tier that holds. Budget arithmetic is exact
 * (decimal), so a burn rate exactly at a tier's factor fires and one just below does not.
 *
 * <ul>
 * <li>ratio SLIs: value = good/total; allowed error rate 1 - target; burn = (bad/total) / allowed;
 *     remaining = 1 - burn. No budget when the target is 1.0.</li>
 * <li>{@code drift_incidents}: value = incidents opened in the window; the budget is target
 *     incidents per 28 days, pro rata for shorter windows; burn = incidents / that budget.</li>
 * <li>{@code model_reproducibility_delta}: value = the largest delta; good = replays with a
 *     delta within the target; a bound, no budget.</li>
 * <li>{@code replay_time_to_verify}: value = p95; good = verified within the target; 5 % may
 *     exceed it (allowed error rate 0.05).</li>
 * </ul>
 */
public final class SliEvaluation {

    private static final BigDecimal P95_ALLOWED = new BigDecimal("0.05");

    /** Counts, value and allowed error rate of one window; {@code allowed} null when there is no budget. */
    public record Assessment(long good, long total, Double value, BigDecimal allowed) {

        public long bad() {
            return total - good;
        }

        /** bad / (total · allowed), exactly; null without data or budget. */
        public BigDecimal burn() {
            if (allowed == null || total <= 0 || allowed.signum() <= 0) {
                return null;
            }
            return BigDecimal.valueOf(bad()).divide(BigDecimal.valueOf(total).multiply(allowed), MathContext.DECIMAL64);
        }

        /** Whether the burn rate is at least {@code factor}. */
        public boolean burnsAtLeast(BigDecimal factor) {
            if (allowed == null || total <= 0 || allowed.signum() <= 0) {
                return false;
            }
            return BigDecimal.valueOf(bad()).compareTo(factor.multiply(allowed).multiply(BigDecimal.valueOf(total))) >= 0;
        }
    }

    private SliEvaluation() {
    }

    public static Assessment assess(Sli sli, SliWindow window, Counts counts, double target) {
        return switch (sli.kind()) {
            case RATIO -> new Assessment(counts.good(), counts.total(),
                    counts.total() > 0 ? (double) counts.good() / counts.total() : null,
                    BigDecimal.ONE.subtract(BigDecimal.valueOf(target)));
            case COUNT -> {
                BigDecimal allowed = BigDecimal.valueOf(target).multiply(BigDecimal.valueOf(window.millis()))
                        .divide(BigDecimal.valueOf(SliWindow.D28.millis()), MathContext.DECIMAL64);
                // good = total = incidents; expressed as "every incident is bad, budget = allowed incidents"
                yield new Assessment(counts.total(), counts.total(), counts.total() > 0 ? (double) counts.total() : null,
                        allowed);
            }
            case MAX -> {
                Histogram h = counts.values();
                yield new Assessment(h.countAtMost(target), h.count(), h.max(), null);
            }
            case P95 -> {
                Histogram h = counts.values();
                yield new Assessment(h.countAtMost(target), h.count(), h.quantile(0.95), P95_ALLOWED);
            }
        };
    }

    /** The record for {@code repro.sli}, keyed {@code sli/scope/window}. */
    public static SliValue value(Sli sli, String scope, SliWindow window, Counts counts, double target, long asOf) {
        Assessment a = assess(sli, window, counts, target);
        BigDecimal burn = sli.kind() == Sli.Kind.COUNT ? countBurn(a) : a.burn();
        return SliValue.newBuilder()
                .setSli(sli.id())
                .setScope(scope)
                .setWindow(window.label())
                .setGood(a.good())
                .setTotal(a.total())
                .setValue(a.value())
                .setTarget(target)
                .setErrorBudgetRemaining(burn == null ? null : BigDecimal.ONE.subtract(burn).doubleValue())
                .setBurnRate(burn == null ? null : burn.doubleValue())
                .setAsOf(Instant.ofEpochMilli(asOf))
                .build();
    }

    private static BigDecimal countBurn(Assessment a) {
        if (a.total() <= 0 || a.allowed().signum() <= 0) {
            return null;
        }
        return BigDecimal.valueOf(a.total()).divide(a.allowed(), MathContext.DECIMAL64);
    }

    /** Whether SLO_BURN alerts apply to {@code sli} with {@code target}: a ratio or p95 SLI with a non-zero budget. */
    public static boolean burnAlertsApply(Sli sli, double target) {
        return switch (sli.kind()) {
            case RATIO -> target < 1.0;
            case P95 -> true;
            default -> false;
        };
    }

    /**
     * The fastest tier whose long and short windows both burn at least its factor, with at least
     * {@code minEvents} events in its long window; null when none holds.
     */
    public static BurnTier fastestTier(Sli sli, ScopeState state, double target, long minEvents) {
        if (!burnAlertsApply(sli, target)) {
            return null;
        }
        for (BurnTier tier : BurnTier.values()) {
            Assessment longW = assess(sli, tier.longWindow(), state.sum(tier.longWindow()), target);
            Assessment shortW = assess(sli, tier.shortWindow(), state.sum(tier.shortWindow()), target);
            if (longW.total() >= minEvents && longW.burnsAtLeast(tier.factor()) && shortW.burnsAtLeast(tier.factor())) {
                return tier;
            }
        }
        return null;
    }
}
