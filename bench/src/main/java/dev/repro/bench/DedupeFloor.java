package dev.repro.bench;

import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.streams.StateStores;

/**
 * A third reference beside the pass-through: the least state work of an app that keeps an entry
 * per record, as the verifier keeps each build and the SLI aggregator each event's contribution.
 * Every record is looked up and remembered by its identity (topic, partition, offset) in a store
 * like the apps' own (RocksDB, changelogged, cached, under exactly-once), as dropping duplicates by
 * event id needs, and forwarded unchanged. The entry is the record's timestamp, 8 bytes, so the
 * floor's cost is the store's and its changelog's per record, not the bytes it keeps. An app that
 * keeps state per key instead (the drift detector, per environment) is not bound by it.
 */
final class DedupeFloor implements Processor<byte[], byte[], byte[], byte[]> {

    static final String STORE = "dedupe-floor-store";

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, Long> seen;

    /** Copies every record of {@code inputs} seen for the first time to {@code output}. */
    static Topology topology(List<String> inputs, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(StateStores.keyValue(STORE, Serdes.Long()));
        builder.stream(inputs, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dedupe-floor-source"))
                .process(DedupeFloor::new, Named.as("dedupe-floor"), STORE)
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dedupe-floor-sink"));
        return builder.build();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata at = context.recordMetadata().orElseThrow();
        String identity = at.topic() + "/" + at.partition() + "/" + at.offset();
        if (seen.get(identity) != null) {
            return;
        }
        seen.put(identity, record.timestamp());
        context.forward(record);
    }
}
