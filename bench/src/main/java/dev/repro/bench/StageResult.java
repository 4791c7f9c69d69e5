package dev.repro.bench;

import java.util.List;

/**
 * One measured stage: the median of its trials, and its ratio to each ceiling (null where the
 * stage is that ceiling's own measurement and the ratio would say nothing).
 */
record StageResult(String stage, String guarantee, long records, List<Double> trialEventsPerSecond,
                   double eventsPerSecond, double megabytesPerSecond,
                   Double ratioToProduceCeiling, Double ratioToPassThroughCeiling) {
}
