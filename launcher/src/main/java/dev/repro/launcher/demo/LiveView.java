package dev.repro.launcher.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.repro.config.KafkaClientSettings;
import dev.repro.schema.Alert;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.SliValue;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * The demo's live terminal view: one readable line per verdict, drift status and alert as it
 * lands on its topic, and the global one-day SLIs when their value changes. It reads the result
 * topics from their ends at {@link #start()}, with {@code read_committed}, in a thread of its own.
 */
public final class LiveView implements AutoCloseable {

    private static final List<TopicId> SHOWN = List.of(TopicId.REBUILD_VERDICTS, TopicId.REPLAY_VERDICTS, TopicId.DRIFT,
            TopicId.ALERTS, TopicId.SLI);
    private static final String SLI_SCOPE = "global";
    private static final String SLI_WINDOW = "1d";

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicCatalog catalog;
    private final AvroSerdes serdes;
    private final PrintStream out;
    private final Map<String, Double> shownSli = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public LiveView(KafkaClientSettings clients, TopicCatalog catalog, AvroSerdes serdes, PrintStream out) {
        Map<String, Object> settings = new HashMap<>(clients.consumer(null));
        settings.put("isolation.level", "read_committed");
        settings.put("enable.auto.commit", "false");
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        this.catalog = catalog;
        this.serdes = serdes;
        this.out = out;
        this.thread = new Thread(this::loop, "repro-demo-live-view");
        this.thread.setDaemon(true);
    }

    /** Positions at the ends of the result topics now, then shows what arrives after. */
    public LiveView start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicId id : SHOWN) {
            for (PartitionInfo p : consumer.partitionsFor(catalog.name(id), Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the ends before any event is sent
        thread.start();
        return this;
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String line = describe(record);
                    if (line != null) {
                        out.println(line);
                        out.flush();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** One line for a result record, or null when it is not worth a line (an unchanged or scoped SLI). */
    String describe(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        String topic = record.topic();
        if (topic.equals(catalog.name(TopicId.REBUILD_VERDICTS))) {
            return rebuild(serdes.deserialize(RebuildVerdict.class, record.value()));
        }
        if (topic.equals(catalog.name(TopicId.REPLAY_VERDICTS))) {
            return replay(serdes.deserialize(ReplayVerdict.class, record.value()));
        }
        if (topic.equals(catalog.name(TopicId.DRIFT))) {
            return drift(serdes.deserialize(DriftStatus.class, record.value()));
        }
        if (topic.equals(catalog.name(TopicId.ALERTS))) {
            return alert(serdes.deserialize(Alert.class, record.value()));
        }
        return sli(serdes.deserialize(SliValue.class, record.value()));
    }

    static String rebuild(RebuildVerdict v) {
        StringBuilder line = new StringBuilder(String.format("  verdict  rebuild  %-28s %-15s %d build(s), %d digest(s)",
                v.getArtifactName() + "@" + v.getCommit().substring(0, 8), v.getStatus(), v.getBuilds(), v.getDigests().size()));
        if (!v.getSuspects().isEmpty()) {
            line.append("; suspects: ").append(v.getSuspects().stream().map(s -> s.getPath()).collect(Collectors.joining(", ")));
        }
        if (v.getRegression()) {
            line.append("; REGRESSION");
        }
        return line.toString();
    }

    static String replay(ReplayVerdict v) {
        StringBuilder line = new StringBuilder(String.format("  verdict  replay   %-28s %-15s", v.getOriginalRunId(), v.getStatus()));
        if (!v.getCauses().isEmpty()) {
            line.append(" causes: ").append(v.getCauses().stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        if (!v.getMetricDeltas().isEmpty()) {
            line.append(" metric deltas: ").append(v.getMetricDeltas());
        }
        return line.toString();
    }

    static String drift(DriftStatus d) {
        StringBuilder line = new StringBuilder(String.format("  drift    %-36s %-13s", d.getTarget(), d.getStatus()));
        if (!d.getReasons().isEmpty()) {
            line.append(" ").append(d.getReasons());
        }
        if (d.getIncidentId() != null) {
            line.append(" incident ").append(d.getIncidentId()).append(" since ").append(d.getSince());
        }
        if (d.getClosedIncidentId() != null) {
            line.append(" closed incident ").append(d.getClosedIncidentId()).append(" after ")
                    .append(Duration.ofMillis(d.getClosedIncidentDurationMs()).toMinutes()).append(" min");
        }
        return line.toString();
    }

    static String alert(Alert a) {
        return String.format("  ALERT    %-8s %-6s %-20s %s: %s", a.getStatus(), a.getSeverity(), a.getKind(), a.getKey(), a.getSummary());
    }

    private String sli(SliValue s) {
        if (!SLI_SCOPE.equals(s.getScope()) || !SLI_WINDOW.equals(s.getWindow()) || s.getValue() == null) {
            return null;
        }
        if (Objects.equals(shownSli.put(s.getSli(), s.getValue()), s.getValue())) {
            return null;
        }
        return String.format("  sli      %-32s %s %s = %.3f (%d/%d, target %.2f)", s.getSli(), SLI_SCOPE, SLI_WINDOW, s.getValue(),
                s.getGood(), s.getTotal(), s.getTarget());
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
