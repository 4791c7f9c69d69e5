package dev.repro.drift;

import java.util.Objects;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.DeadLetters;

/**
 * Forwards a desired state, a desired-state removal or a deployment whose key names its own
 * target ({@code service/environment[/cluster]} of the event, see {@link TargetKey}), and turns
 * any other into a {@link RejectedEvent} ({@value #BAD_KEY}) for the dead-letter topic: a record
 * under another key may sit in another environment's partition, where its clusters cannot be
 * compared. Records already rejected upstream pass unchanged.
 */
final class TargetKeyGate implements ProcessorSupplier<String, Object, String, Object> {

    static final String BAD_KEY = "bad-key";

    private final AvroSerdes serdes;

    TargetKeyGate(AvroSerdes serdes) {
        this.serdes = serdes;
    }

    @Override
    public Processor<String, Object, String, Object> get() {
        return new Processor<>() {
            private ProcessorContext<String, Object> context;

            @Override
            public void init(ProcessorContext<String, Object> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, Object> record) {
                Optional<String> problem = problem(record.key(), record.value());
                if (problem.isEmpty()) {
                    context.forward(record);
                    return;
                }
                RecordMetadata meta = context.recordMetadata().orElse(null);
                DeadLetters.Origin origin = meta == null
                        ? new DeadLetters.Origin(null, -1, -1, record.timestamp())
                        : new DeadLetters.Origin(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
                byte[] raw = record.value() instanceof SpecificRecord value ? serdes.serialize(value) : new byte[0];
                RejectedEvent rejected = DeadLetters.rejected(eventId(record.value()), BAD_KEY, problem.get(), raw, origin);
                context.forward(record.withValue(rejected));
            }
        };
    }

    /** What is wrong with {@code key} for {@code value}; empty when it names the value's target. */
    static Optional<String> problem(String key, Object value) {
        if (value instanceof DesiredState desired) {
            boolean own = TargetKey.of(key)
                    .filter(k -> k.service().equals(desired.getService()) && k.environment().equals(desired.getEnvironment())
                            && Objects.equals(k.cluster(), desired.getCluster()))
                    .isPresent();
            return own ? Optional.empty()
                    : Optional.of("key '" + key + "' is not service/environment[/cluster] of the desired state");
        }
        if (value instanceof DeploymentEvent deployment) {
            boolean own = TargetKey.ofDeployment(key)
                    .filter(k -> k.service().equals(deployment.getService()) && k.environment().equals(deployment.getEnvironment())
                            && (deployment.getCluster() == null || deployment.getCluster().equals(k.cluster())))
                    .isPresent();
            return own ? Optional.empty()
                    : Optional.of("key '" + key + "' is not service/environment/cluster of the deployment");
        }
        if (value instanceof DesiredRemoval) {
            return TargetKey.of(key).isPresent() ? Optional.empty()
                    : Optional.of("tombstone key '" + key + "' is not service/environment[/cluster]");
        }
        return Optional.empty();
    }

    private static String eventId(Object value) {
        if (value instanceof DesiredState desired) {
            return desired.getId();
        }
        if (value instanceof DeploymentEvent deployment) {
            return deployment.getId();
        }
        return null;
    }
}
