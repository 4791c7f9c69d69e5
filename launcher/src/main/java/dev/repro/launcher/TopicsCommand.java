package dev.repro.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import dev.repro.config.ReproConfig;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicProvisioner;
import dev.repro.topics.TopicProvisioner.TopicState;
import dev.repro.topics.TopicSpec;
import picocli.CommandLine.Command;

@Command(name = "topics", description = "Lists the catalog's topics as they are on the cluster: partitions, replication, cleanup policy, retention.")
final class TopicsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        ReproConfig config = KafkaReach.clientConfig();
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        try (Admin admin = KafkaReach.admin(config, 10)) {
            List<String> names = catalog.all().stream().map(TopicSpec::name).toList();
            Map<String, TopicState> states = new TopicProvisioner(admin, java.time.Duration.ofSeconds(10)).describe(names);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TOPIC", "PARTITIONS", "REPLICATION", "CLEANUP", "RETENTION", "VALUE"});
            int missing = 0;
            for (TopicSpec spec : catalog.all()) {
                TopicState state = states.get(spec.name());
                if (state == null) {
                    missing++;
                    rows.add(new String[] {spec.name(), "-", "-", "(missing)", "-", spec.valueType().getSimpleName()});
                } else {
                    rows.add(new String[] {spec.name(), String.valueOf(state.partitions()), String.valueOf(state.replicationFactor()),
                            "cleanup.policy=" + state.cleanupPolicy(), state.retentionText(), spec.valueType().getSimpleName()});
                }
            }
            System.out.print(Table.render(rows));
            System.out.flush();
            return missing == 0 ? 0 : 1;
        }
    }
}
