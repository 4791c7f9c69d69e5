package dev.repro.ingest.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.repro.testkit.Eventually;

/** The writer recovers readiness by itself while idle, without an event having to come and fail first. */
class ArchiveWriterRecoveryTest {

    private static final ArchiveWriter.WriterListener QUIET = new ArchiveWriter.WriterListener() {
        @Override
        public void committed(int submissions, long nanos) {
        }

        @Override
        public void failed(int submissions, Submission.Outcome outcome, String reason) {
        }
    };

    /** Producers whose first {@code failures} fail to initialise, as when the transaction coordinator is not there yet. */
    private static Producer<String, byte[]> producer(AtomicInteger made, int failures) {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        if (made.incrementAndGet() <= failures) {
            producer.initTransactionException = new TimeoutException("Timeout expired after 2000ms while awaiting InitProducerId");
        }
        return producer;
    }


    @Test
    void shouldBecomeReadyWithoutAnySubmissionAfterKafkaWasNotThereAtStart() throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (ArchiveWriter writer = new ArchiveWriter(() -> producer(made, 2), 100, Duration.ofSeconds(2), QUIET).start()) {
            Eventually.await("ready after two failed starts", Duration.ofSeconds(10), Duration.ofMillis(20), writer::isReady);

            assertThat(made.get()).as("two failed producers, then a working one").isEqualTo(3);
            Submission submission = writer.submit(List.of(new ProducerRecord<>("repro.events.archive", "k", new byte[] {1})));
            assertThat(submission.await(Duration.ofSeconds(5)).outcome()).isEqualTo(Submission.Outcome.COMMITTED);
        }
    }

    @Test
    void shouldStayNotReadyAndKeepTryingWhileKafkaIsAway() throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (ArchiveWriter writer = new ArchiveWriter(() -> producer(made, Integer.MAX_VALUE), 100, Duration.ofSeconds(2), QUIET)
                .start()) {
            Eventually.await("a few attempts", Duration.ofSeconds(10), Duration.ofMillis(20), () -> made.get() >= 3);

            assertThat(writer.isReady()).isFalse();
        }
    }
}
