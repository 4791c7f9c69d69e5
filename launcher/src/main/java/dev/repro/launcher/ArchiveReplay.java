package dev.repro.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.repro.app.ReproApp;
import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.drift.DriftConfig;
import dev.repro.drift.DriftDetectorApp;
import dev.repro.ingest.IngestApp;
import dev.repro.ingest.IngestSettings;
import dev.repro.ingest.event.EventDecoder;
import dev.repro.ingest.event.Limits;
import dev.repro.ingest.routing.ArchiveRoutingTopology;
import dev.repro.serde.AvroSerdes;
import dev.repro.sli.SliAggregatorApp;
import dev.repro.sli.SliConfig;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;
import dev.repro.verifier.VerifierApp;
import dev.repro.verifier.VerifierConfig;

/**
 * {@code repro replay-archive}: re-derives every typed, verdict, drift, SLI and alert topic from
 * {@code repro.events.archive} into fresh topics under another prefix, by running ingest's
 * router and every stream app of the class path under that prefix (so under fresh application
 * ids) until each has caught up; then compares each result topic, key by key, with the live one.
 * The live topics and apps are left alone.
 */
final class ArchiveReplay {

    /** The result topics compared with the live ones. */
    static final List<TopicId> RESULTS = List.of(TopicId.REBUILD_VERDICTS, TopicId.REPLAY_VERDICTS, TopicId.DRIFT, TopicId.SLI,
            TopicId.ALERTS);
    private static final int STABLE_ROUNDS = 2;

    private final ReproConfig live;
    private final String targetPrefix;
    private final Duration timeout;
    private final Consumer<String> progress;

    ArchiveReplay(ReproConfig live, String targetPrefix, Duration timeout, Consumer<String> progress) {
        if (targetPrefix.equals(live.topicPrefix())) {
            throw new LauncherException("the replay's topic prefix must differ from the live one (" + live.topicPrefix() + ")");
        }
        this.live = live;
        this.targetPrefix = targetPrefix;
        this.timeout = timeout;
        this.progress = progress;
    }

    /** Runs the replay to the end and compares; the apps it started are stopped again. */
    List<TopicComparison> run() throws Exception {
        TopicCatalog liveCatalog = TopicCatalog.of(live.topicPrefix(), live.topicPartitions(), live.topicReplicationFactor());
        // fresh application ids even where the live ones were set explicitly, and no fixed port
        ReproConfig replay = live.with(ReproConfig.TOPIC_PREFIX, targetPrefix)
                .with(VerifierConfig.APPLICATION_ID, targetPrefix + VerifierApp.NAME)
                .with(DriftConfig.APPLICATION_ID, targetPrefix + DriftDetectorApp.NAME)
                .with(SliConfig.APPLICATION_ID, targetPrefix + SliAggregatorApp.NAME)
                .with(SliConfig.BIND, "127.0.0.1:0");
        TopicCatalog replayCatalog = TopicCatalog.of(targetPrefix, replay.topicPartitions(), replay.topicReplicationFactor());
        KafkaClientSettings clients = new KafkaClientSettings(live);
        List<RunningApp> started = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        try (Admin admin = Admin.create(clients.admin())) {
            TopicProvisioner.Result topics = new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(replayCatalog.all());
            progress.accept("replaying " + liveCatalog.name(TopicId.ARCHIVE) + " into " + topics.created().size()
                    + " fresh topics under " + targetPrefix);
            String routerId = targetPrefix + "ingest-router";
            started.add(StreamsAppRunner.start("replay-router", ArchiveRoutingTopology.build(liveCatalog.name(TopicId.ARCHIVE),
                    replayCatalog, AvroSerdes.create(), new EventDecoder(Limits.defaults()),
                    IngestSettings.from(live).dedupeRetention()), replay, routerId, List.of()));
            groups.add(routerId);
            for (ReproApp app : streamApps()) {
                started.add(app.start(replay));
                groups.add(applicationId(app, replay));
                progress.accept(app.name() + " started under " + targetPrefix);
            }
            awaitCaughtUp(admin, groups);
        } finally {
            started.forEach(RunningApp::close);
        }
        List<TopicComparison> comparisons = new ArrayList<>();
        for (TopicId id : RESULTS) {
            comparisons.add(TopicComparison.of(clients, liveCatalog.name(id), replayCatalog.name(id)));
        }
        return comparisons;
    }

    /** Every app of the class path but ingest (whose router this replay runs itself), in start order. */
    private static List<ReproApp> streamApps() {
        List<ReproApp> apps = new ArrayList<>();
        ServiceLoader.load(ReproApp.class).forEach(app -> {
            if (!(app instanceof IngestApp)) {
                apps.add(app);
            }
        });
        apps.sort(Comparator.comparingInt(ReproApp::order));
        return apps;
    }

    /** The application id {@link #run()} gives each stream app: {@code <replay prefix><app name>}. */
    private static String applicationId(ReproApp app, ReproConfig config) {
        return config.topicPrefix() + app.name();
    }

    /**
     * Waits until, {@link #STABLE_ROUNDS} times in a row, every group (checked upstream first) has
     * committed the end of every partition assigned to it.
     */
    private void awaitCaughtUp(Admin admin, List<String> groups) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long lastReport = t0;
        int stable = 0;
        while (stable < STABLE_ROUNDS) {
            String behind = null;
            for (String group : groups) {
                long lag = lag(admin, group);
                if (lag != 0) {
                    behind = group + (lag < 0 ? " (not assigned yet)" : " (" + lag + " records behind)");
                    break;
                }
            }
            stable = behind == null ? stable + 1 : 0;
            long now = System.nanoTime();
            if (behind != null && now > deadline) {
                throw new LauncherException("the replay did not catch up within " + timeout.toMinutes() + " min: " + behind);
            }
            if (behind != null && now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                progress.accept("waiting for " + behind + " …");
                lastReport = now;
            }
            Thread.sleep(500);
        }
        progress.accept("caught up in " + Console.seconds(t0));
    }

    /** Records {@code group} still has to commit on its assigned partitions; -1 while it has none assigned. */
    private static long lag(Admin admin, String group) {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(10, TimeUnit.SECONDS);
            Set<TopicPartition> assigned = new HashSet<>();
            for (MemberDescription member : description.members()) {
                assigned.addAll(member.assignment().topicPartitions());
            }
            if (assigned.isEmpty()) {
                return -1;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            assigned.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata offset = committed.get(end.getKey());
                lag += Math.max(0, end.getValue() - (offset == null ? 0 : offset.offset()));
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        } catch (Exception e) {
            return -1; // the group is being formed or the broker is busy: ask again
        }
    }
}
