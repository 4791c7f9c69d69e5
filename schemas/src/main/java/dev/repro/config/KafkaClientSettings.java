package dev.repro.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings for every repro process, from one {@link ReproConfig}: the bootstrap
 * servers, the safe defaults (acks=all, idempotence, read_committed, exactly_once_v2), then the
 * user's {@code KAFKA_*} overrides on top, so security settings reach every client.
 */
public final class KafkaClientSettings {

    private final ReproConfig config;

    public KafkaClientSettings(ReproConfig config) {
        this.config = config;
    }

    public Map<String, Object> admin() {
        return withOverrides(base());
    }

    /** Idempotent, acks=all: a send acknowledged is a send kept. */
    public Map<String, Object> producer() {
        Map<String, Object> props = base();
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("max.in.flight.requests.per.connection", "5");
        props.put("linger.ms", "5");
        props.put("compression.type", "lz4");
        return withOverrides(props);
    }

    /** Reads only committed records, so a consumer never sees an aborted transaction's output. */
    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> props = base();
        if (groupId != null) {
            props.put("group.id", groupId);
        }
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        return withOverrides(props);
    }

    /** Kafka Streams settings with exactly-once (v2) as the default guarantee. */
    public Map<String, Object> streams(String applicationId) {
        Map<String, Object> props = base();
        props.put("application.id", applicationId);
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("replication.factor", String.valueOf(config.topicReplicationFactor()));
        props.put("producer.acks", "all");
        props.put("consumer.isolation.level", "read_committed");
        return withOverrides(props);
    }

    private Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", config.bootstrapServers());
        props.put("client.dns.lookup", "use_all_dns_ips");
        return props;
    }

    private Map<String, Object> withOverrides(Map<String, Object> props) {
        props.putAll(config.kafkaClientOverrides());
        return props;
    }
}
