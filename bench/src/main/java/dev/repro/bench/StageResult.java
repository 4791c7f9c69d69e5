package dev.repro.bench;

import java.util.List;
import java.util.Objects;

/**
 * One measured stage: the median of its trials, and its ratio to each ceiling (null where the
 * stage is that ceiling's own measurement and the ratio would say nothing).
 *
 * @param input              what the stage read or was sent, e.g. {@code builds, runs}
 * @param averageRecordBytes key and value bytes per record of that input
 * @param threads            for a Kafka Streams stage, the medians over its trials of where its
 *                           stream threads spent the time ({@link StreamThreadTime}); else null
 * @param startupMillis      for a Kafka Streams stage, the median of its start before the timed
 *                           stretch ({@link Trial.Startup}), in ms; else null
 */
record StageResult(String stage, String guarantee, String input, long records, double averageRecordBytes,
                   List<Double> trialEventsPerSecond, double eventsPerSecond, double megabytesPerSecond,
                   Double ratioToProduceCeiling, Double ratioToPassThroughCeiling, StreamThreadTime threads,
                   Double startupMillis) {

    /** The stage's median rate over its trials, and its ratio to the produce ceiling when one is given. */
    static StageResult of(String stage, String guarantee, String input, List<Trial> trials, long bytes, Double produceRate) {
        List<Double> rates = trials.stream().map(Trial::eventsPerSecond).toList();
        double median = median(rates);
        long records = trials.get(0).records();
        double averageRecordBytes = (double) bytes / records;
        double mebibytesPerSecond = median * averageRecordBytes / (1024 * 1024);
        List<StreamThreadTime> threads = trials.stream().map(Trial::threads).filter(Objects::nonNull).toList();
        StreamThreadTime threadMedians = threads.size() < trials.size() ? null : new StreamThreadTime(
                median(threads.stream().map(StreamThreadTime::onCpu).toList()),
                median(threads.stream().map(StreamThreadTime::blockedOnKafka).toList()));
        List<Trial.Startup> startups = trials.stream().map(Trial::startup).filter(Objects::nonNull).toList();
        Double startupMillis = startups.size() < trials.size() ? null
                : median(startups.stream().map(s -> s.nanos() / 1e6).toList());
        return new StageResult(stage, guarantee, input, records, averageRecordBytes, rates, median, mebibytesPerSecond,
                produceRate == null ? null : median / produceRate, null, threadMedians, startupMillis);
    }

    /** This result with its ratio to the pass-through ceiling. */
    StageResult withPassThrough(double passThroughRate) {
        return new StageResult(stage, guarantee, input, records, averageRecordBytes, trialEventsPerSecond, eventsPerSecond,
                megabytesPerSecond, ratioToProduceCeiling, eventsPerSecond / passThroughRate, threads, startupMillis);
    }

    /** The median; the mean of the two middle values for an even count. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
