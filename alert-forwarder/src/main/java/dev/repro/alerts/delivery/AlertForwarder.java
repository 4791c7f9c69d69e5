package dev.repro.alerts.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.alerts.Routing;
import dev.repro.alerts.TargetKind;
import dev.repro.alerts.http.ForwarderMetrics;
import dev.repro.alerts.target.AlertTarget;
import dev.repro.alerts.target.AlertmanagerTarget;
import dev.repro.alerts.target.Change;
import dev.repro.alerts.target.DeliveryOutcome;
import dev.repro.alerts.target.OutboundRequest;
import dev.repro.alerts.target.TargetClient;
import dev.repro.schema.Alert;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.RecordDecodingException;
import dev.repro.streams.DeadLetters;

/**
 * The delivery loop: reads {@code repro.alerts} in a consumer group (read-committed, offsets
 * committed by hand) and delivers every change to its targets, at least once.
 *
 * <p>One thread owns all state. Requests go out asynchronously; their answers come back as tasks
 * on a queue the thread runs between polls, so the consumer keeps polling (and stays in its group)
 * while a target is slow or down. Per partition and target one request is in flight, so each
 * target sees each key's changes in order. A retryable failure (no connection, timeout, 408, 429,
 * 5xx) is retried after a capped exponential backoff; a refusal (any other status) is logged with
 * the status and the start of the answer and the change is parked in the dead-letter topic as a
 * {@link RejectedEvent}; then that target goes on with the next change. A partition whose undone
 * changes reach {@code maxPending} is paused until half of them are done. Offsets are committed
 * (every second, on revocation and on close) up to the oldest change not yet done everywhere.
 *
 * <p>A failure to write a dead letter stops the loop (nothing is committed past the change, so it
 * is read again on restart).
 */
public final class AlertForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(AlertForwarder.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final long BUSY_WAIT_MILLIS = 10;
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration GAUGE_INTERVAL = Duration.ofMillis(500);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String deadLetterTopic;
    private final Map<TargetKind, AlertTarget> targets;
    private final Optional<AlertmanagerTarget> alertmanager;
    private final Optional<Duration> resendInterval;
    private final Routing routing;
    private final TargetClient client;
    private final Backoff backoff;
    private final ForwarderMetrics metrics;
    private final AvroSerdes serdes;
    private final Clock clock;
    private final int maxPending;
    private final Duration drainTimeout;

    private final Map<TopicPartition, PartitionLane> lanes = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Map<TargetKind, Boolean> targetUp = new EnumMap<>(TargetKind.class);
    private final LinkedBlockingQueue<Runnable> answers = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private int inFlight;
    private Instant nextCommit = Instant.MIN;
    private Instant nextGauges = Instant.MIN;
    private Instant nextKeepalive;

    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile Throwable failure;

    /** What the loop is made of; see {@link AlertForwarder}. */
    public record Parts(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, String topic,
            String deadLetterTopic, List<AlertTarget> targets, Routing routing, TargetClient client, Backoff backoff,
            ForwarderMetrics metrics, AvroSerdes serdes, Clock clock) {
    }

    /**
     * @param parts          the clients, targets and helpers
     * @param resendInterval how often alerts open in Alertmanager are sent again (empty without Alertmanager)
     * @param maxPending     undone changes of one partition at which it is paused
     * @param drainTimeout   how long {@link #close} waits for requests in flight
     */
    public AlertForwarder(Parts parts, Optional<Duration> resendInterval, int maxPending, Duration drainTimeout) {
        this.consumer = parts.consumer();
        this.producer = parts.producer();
        this.topic = parts.topic();
        this.deadLetterTopic = parts.deadLetterTopic();
        Map<TargetKind, AlertTarget> byKind = new EnumMap<>(TargetKind.class);
        parts.targets().forEach(target -> byKind.put(target.kind(), target));
        this.targets = byKind;
        this.alertmanager = parts.targets().stream().filter(AlertmanagerTarget.class::isInstance)
                .map(AlertmanagerTarget.class::cast).findFirst();
        this.resendInterval = resendInterval;
        this.routing = parts.routing();
        this.client = parts.client();
        this.backoff = parts.backoff();
        this.metrics = parts.metrics();
        this.serdes = parts.serdes();
        this.clock = parts.clock();
        this.maxPending = maxPending;
        this.drainTimeout = drainTimeout;
        this.nextKeepalive = clock.instant().plus(resendInterval.orElse(Duration.ZERO));
        targets.keySet().forEach(kind -> targetUp.put(kind, true));
        this.thread = new Thread(this::run, "alert-forwarder");
    }

    /** Starts the loop on its own thread. */
    public void start() {
        thread.start();
    }

    /** Whether the loop runs (it stops on {@link #close} or a fatal failure). */
    public boolean alive() {
        return stopped.getCount() > 0 && failure == null;
    }

    /** Whether the loop is in its group with its partitions assigned, and consuming. */
    public boolean ready() {
        return alive() && running && assigned;
    }

    /** Waits until the loop stops; returns the failure that stopped it, if one did. */
    public Optional<Throwable> awaitTermination() throws InterruptedException {
        stopped.await();
        return Optional.ofNullable(failure);
    }

    /**
     * Stops reading, waits up to the drain timeout for requests in flight, commits what was
     * delivered, and closes the clients. Changes not delivered are read again on the next start.
     */
    public void close() {
        running = false;
        try {
            if (!stopped.await(drainTimeout.plus(KAFKA_TIMEOUT).plus(KAFKA_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("alert-forwarder: the delivery loop did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                step();
            }
            drain("shutdown", () -> inFlight > 0);
            commitSync(committable(lanes.keySet()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("alert-forwarder: stopped: {}; changes not delivered are read again on restart", e.getMessage(), e);
        } finally {
            running = false;
            closeClients();
            stopped.countDown();
        }
    }

    private void step() throws InterruptedException {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout(clock.instant()))) {
            read(record);
        }
        runAnswers(0);
        Instant now = clock.instant();
        requestKeepalives(now);
        dispatch(now);
        if (!now.isBefore(nextCommit)) {
            commitAsync();
            nextCommit = now.plus(COMMIT_INTERVAL);
        }
        applyBackpressure();
        if (!now.isBefore(nextGauges)) {
            publishGauges();
            nextGauges = now.plus(GAUGE_INTERVAL);
        }
        if (inFlight > 0) {
            runAnswers(BUSY_WAIT_MILLIS);
        }
    }

    /** No wait while requests are in flight or one may start now; else until the next backoff ends, at most the idle poll. */
    private Duration pollTimeout(Instant now) {
        if (inFlight > 0) {
            return Duration.ZERO;
        }
        return lanes.values().stream().map(PartitionLane::nextAttempt).flatMap(Optional::stream).min(Instant::compareTo)
                .map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO)
                .filter(wait -> wait.compareTo(IDLE_POLL) < 0).orElse(IDLE_POLL);
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionLane lane = lanes.get(partition);
        if (lane == null) {
            return;
        }
        DeadLetters.Origin origin = new DeadLetters.Origin(record.topic(), record.partition(), record.offset(), record.timestamp());
        if (lane.replaying(record.offset())) {
            decode(record.value()).ifPresent(lane::replay);
            return;
        }
        if (record.value() == null) {
            lane.add(record.key(), null, origin, null, Set.of(), false);
            return;
        }
        Alert alert;
        try {
            alert = serdes.deserialize(Alert.class, record.value());
        } catch (RecordDecodingException e) {
            PendingChange pending = lane.add(record.key(), record.value(), origin, null, Set.of(), true);
            RejectedEvent rejected = DeadLetters.undecodable(record.value(), e, origin);
            LOG.warn("alert-forwarder: record {}-{} at offset {} is not an Alert ({}); parking it in {}", record.topic(),
                    record.partition(), record.offset(), rejected.getReason(), deadLetterTopic);
            metrics.undecodable();
            park(lane, pending, rejected, () -> lane.deadLettered(pending));
            return;
        }
        Alert previous = lane.latest(alert.getKey());
        lane.add(record.key(), record.value(), origin, new Change(alert, previous, origin), routing.targetsFor(previous, alert),
                false);
    }

    private Optional<Alert> decode(byte[] value) {
        try {
            return Optional.ofNullable(serdes.deserialize(Alert.class, value));
        } catch (RecordDecodingException e) {
            return Optional.empty();
        }
    }

    private void requestKeepalives(Instant now) {
        if (resendInterval.isPresent() && !now.isBefore(nextKeepalive)) {
            lanes.values().forEach(PartitionLane::requestKeepalive);
            nextKeepalive = now.plus(resendInterval.get());
        }
    }

    private void dispatch(Instant now) {
        for (PartitionLane lane : lanes.values()) {
            for (TargetKind kind : targets.keySet()) {
                if (kind == TargetKind.ALERTMANAGER && lane.keepaliveDue(now)) {
                    sendKeepalive(lane, now);
                } else {
                    lane.next(kind, now).ifPresent(pending -> send(lane, kind, pending, now));
                }
            }
        }
    }

    private void send(PartitionLane lane, TargetKind kind, PendingChange pending, Instant now) {
        OutboundRequest request = targets.get(kind).request(pending.change(), now);
        lane.sending(kind);
        inFlight++;
        client.send(request).thenAccept(outcome -> answers.add(() -> answered(lane, kind, pending, outcome)));
    }

    private void answered(PartitionLane lane, TargetKind kind, PendingChange pending, DeliveryOutcome outcome) {
        inFlight--;
        if (lane.revoked()) {
            return;
        }
        Instant now = clock.instant();
        Change change = pending.change();
        if (outcome instanceof DeliveryOutcome.Accepted) {
            int failedBefore = lane.delivered(kind, pending);
            metrics.forwarded(kind, change.alert().getStatus(),
                    Duration.between(Instant.ofEpochMilli(change.origin().timestamp()), now));
            recovered(kind, failedBefore);
        } else if (outcome instanceof DeliveryOutcome.Retryable retryable) {
            retry(lane, kind, retryable, now, "alert " + change.alert().getKey() + " (" + change.deliveryId() + ")");
        } else if (outcome instanceof DeliveryOutcome.Refused refused) {
            LOG.warn("alert-forwarder: {} refused alert {} ({}) with {}; parking it in {}", kind.id(),
                    change.alert().getKey(), change.deliveryId(), refused.reason(), deadLetterTopic);
            RejectedEvent rejected = DeadLetters.rejected(change.deliveryId(), "refused-by-" + kind.id(),
                    kind.id() + " refused the alert: " + refused.reason(), pending.raw(), pending.origin());
            park(lane, pending, rejected, () -> {
                lane.refused(kind, pending);
                metrics.parked(kind);
            });
        }
    }

    private void sendKeepalive(PartitionLane lane, Instant now) {
        Collection<Alert> open = lane.openAtAlertmanager();
        OutboundRequest request = alertmanager.orElseThrow().keepalive(open, now);
        lane.sending(TargetKind.ALERTMANAGER);
        inFlight++;
        client.send(request).thenAccept(outcome -> answers.add(() -> keptAlive(lane, open.size(), outcome)));
    }

    private void keptAlive(PartitionLane lane, int alerts, DeliveryOutcome outcome) {
        inFlight--;
        if (lane.revoked()) {
            return;
        }
        if (outcome instanceof DeliveryOutcome.Accepted) {
            int failedBefore = lane.failures(TargetKind.ALERTMANAGER);
            lane.keepaliveSent();
            metrics.resent(alerts);
            recovered(TargetKind.ALERTMANAGER, failedBefore);
        } else if (outcome instanceof DeliveryOutcome.Retryable retryable) {
            retry(lane, TargetKind.ALERTMANAGER, retryable, clock.instant(), "the resend of " + alerts + " open alerts");
        } else if (outcome instanceof DeliveryOutcome.Refused refused) {
            LOG.warn("alert-forwarder: alertmanager refused the resend of {} open alerts with {}; trying again next interval",
                    alerts, refused.reason());
            lane.keepaliveSent();
        }
    }

    private void retry(PartitionLane lane, TargetKind kind, DeliveryOutcome.Retryable retryable, Instant now, String what) {
        int failures = lane.failures(kind) + 1;
        Duration delay = backoff.delay(failures, retryable.retryAfter());
        lane.failed(kind, now.plus(delay));
        metrics.retried(kind);
        targetUp.put(kind, false);
        if (Integer.bitCount(failures) == 1) {
            LOG.warn("alert-forwarder: {} did not take {}: {} (attempt {}); retrying in {} ms", kind.id(), what,
                    retryable.reason(), failures, delay.toMillis());
        }
    }

    private void recovered(TargetKind kind, int failedBefore) {
        targetUp.put(kind, true);
        if (failedBefore > 0) {
            LOG.info("alert-forwarder: {} accepts alerts again after {} failed attempts", kind.id(), failedBefore);
        }
    }

    /** Writes {@code rejected} to the dead-letter topic, then runs {@code parked} on the loop; a failed write stops the loop. */
    private void park(PartitionLane lane, PendingChange pending, RejectedEvent rejected, Runnable parked) {
        inFlight++;
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(deadLetterTopic, null,
                rejected.getReceivedAt().toEpochMilli(), pending.key(), serdes.serialize(rejected));
        producer.send(record, (metadata, error) -> answers.add(() -> {
            inFlight--;
            if (error != null) {
                throw new KafkaException("cannot write the dead letter of " + pending.origin().topic() + "-"
                        + pending.origin().partition() + "@" + pending.offset() + " to " + deadLetterTopic, error);
            }
            if (!lane.revoked()) {
                parked.run();
            }
        }));
    }

    /** Runs the answers that arrived, waiting up to {@code waitMillis} for the first. */
    private void runAnswers(long waitMillis) throws InterruptedException {
        Runnable answer = waitMillis > 0 ? answers.poll(waitMillis, TimeUnit.MILLISECONDS) : answers.poll();
        while (answer != null) {
            answer.run();
            answer = answers.poll();
        }
    }

    private void applyBackpressure() {
        lanes.forEach((partition, lane) -> {
            if (lane.pending() >= maxPending && paused.add(partition)) {
                consumer.pause(Set.of(partition));
                LOG.info("alert-forwarder: paused {}: {} changes wait for a target", partition, lane.pending());
            } else if (lane.pending() <= maxPending / 2 && paused.remove(partition)) {
                consumer.resume(Set.of(partition));
                LOG.info("alert-forwarder: resumed {}", partition);
            }
        });
    }

    private void publishGauges() {
        Map<TargetKind, Integer> pending = new EnumMap<>(TargetKind.class);
        targets.keySet().forEach(kind -> pending.put(kind, lanes.values().stream().mapToInt(l -> l.pending(kind)).sum()));
        Map<Integer, Long> lag = new HashMap<>();
        lanes.keySet().forEach(partition -> consumer.currentLag(partition).ifPresent(n -> lag.put(partition.partition(), n)));
        metrics.gauges(new ForwarderMetrics.Gauges(ready(), lanes.size(), paused.size(), pending, targetUp, lag));
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionLane lane = lanes.get(partition);
            long offset = lane.commitOffset();
            if (offset > committed.getOrDefault(partition, -1L)) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(lanes.keySet());
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (done, error) -> {
            if (error != null) {
                LOG.warn("alert-forwarder: committing offsets failed (retried next second): {}", error.getMessage());
            } else {
                done.forEach((partition, offset) -> committed.merge(partition, offset.offset(), Math::max));
            }
        });
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, KAFKA_TIMEOUT);
            offsets.forEach((partition, offset) -> committed.merge(partition, offset.offset(), Math::max));
        } catch (KafkaException e) {
            LOG.warn("alert-forwarder: committing offsets failed: {}; changes after the last commit are sent again",
                    e.getMessage());
        }
    }

    /** Runs answers, starting no new request, until {@code busy} is false or the drain timeout has passed. */
    private void drain(String why, BooleanSupplier busy) throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (busy.getAsBoolean() && System.nanoTime() < deadline) {
            runAnswers(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (busy.getAsBoolean()) {
            LOG.warn("alert-forwarder: requests still in flight at {}; their changes are sent again by the next owner", why);
        }
    }

    private void closeClients() {
        try {
            consumer.close(CloseOptions.timeout(KAFKA_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.warn("alert-forwarder: closing the consumer failed: {}", e.getMessage());
        }
        try {
            producer.close(KAFKA_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("alert-forwarder: closing the producer failed: {}", e.getMessage());
        }
        client.close();
    }

    /** Keeps the lanes in step with the partitions this instance owns. */
    private final class Rebalance implements ConsumerRebalanceListener {

        /** Lets the requests in flight for these partitions finish, commits what was delivered, lets go. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<TopicPartition> owned = partitions.stream().filter(lanes::containsKey).toList();
            try {
                drain("revocation of " + owned, () -> owned.stream().map(lanes::get).anyMatch(PartitionLane::busy));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            commitSync(committable(owned));
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(new HashSet<>(partitions), KAFKA_TIMEOUT);
                List<TopicPartition> replay = new ArrayList<>();
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata offset = offsets.get(partition);
                    long replayUntil = offset == null ? 0 : offset.offset();
                    lanes.put(partition, new PartitionLane(replayUntil, routing, targets.keySet()));
                    if (offset != null) {
                        committed.put(partition, replayUntil);
                    }
                    if (replayUntil > 0) {
                        replay.add(partition);
                    }
                }
                if (!replay.isEmpty()) {
                    consumer.seekToBeginning(replay);
                }
                LOG.info("alert-forwarder: assigned {} (re-reading {} up to their committed offsets for the open alerts)",
                        partitions, replay);
            }
            assigned = true;
        }

        private void drop(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                PartitionLane lane = lanes.remove(partition);
                if (lane != null) {
                    lane.revoke();
                }
                committed.remove(partition);
                paused.remove(partition);
            }
            LOG.info("alert-forwarder: no longer owns {}", partitions);
        }
    }
}
