package dev.repro.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes the cluster hold the catalog's topics: creates the missing ones with their cleanup
 * policy and retention, and refuses to run on an existing topic whose cleanup policy
 * contradicts the catalog (a compacted verdict topic created as {@code delete} would silently
 * lose the latest verdicts). Other differences (partitions, retention) are the operator's call.
 */
public final class TopicProvisioner {

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Names of the topics created, and of those that were already there. */
    public record Result(List<String> created, List<String> existing) {
    }

    /** A topic as the cluster has it. */
    public record TopicState(String name, int partitions, int replicationFactor, String cleanupPolicy, Long retentionMs) {

        /** {@code 7d}, {@code 12h}, {@code forever}, or {@code -} for compacted topics without time retention. */
        public String retentionText() {
            if (retentionMs == null) {
                return "-";
            }
            if (retentionMs < 0) {
                return "forever";
            }
            Duration d = Duration.ofMillis(retentionMs);
            return d.toHours() % 24 == 0 && d.toDays() > 0 ? d.toDays() + "d" : d.toHours() + "h";
        }
    }

    public Result ensure(Collection<TopicSpec> specs) {
        Set<String> present = await(admin.listTopics().names(), "list topics");
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<TopicSpec> missing = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (present.contains(spec.name())) {
                existing.add(spec.name());
            } else {
                missing.add(spec);
            }
        }
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing.stream().map(TopicSpec::newTopic).toList());
            for (TopicSpec spec : missing) {
                try {
                    await(result.values().get(spec.name()), "create topic " + spec.name());
                    created.add(spec.name());
                } catch (TopicCreationRace race) {
                    existing.add(spec.name());
                }
            }
        }
        Map<String, TopicState> states = describeAll(existing);
        awaitLeaders(specs.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : specs) {
            TopicState state = states.get(spec.name());
            if (state != null && !spec.cleanupPolicy().equals(state.cleanupPolicy())) {
                throw new TopicProvisioningException("topic " + spec.name() + " exists with cleanup.policy=" + state.cleanupPolicy()
                        + " but repro needs cleanup.policy=" + spec.cleanupPolicy()
                        + " (fix it with kafka-configs --alter, or use another REPRO_TOPIC_PREFIX)");
            }
        }
        return new Result(List.copyOf(created), List.copyOf(existing));
    }

    /**
     * Describes topics known to exist. A topic another client just created may not be in every
     * broker's metadata yet, so this retries, within the timeout, until each one is described.
     */
    private Map<String, TopicState> describeAll(List<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, TopicState> states = describe(names);
            if (states.keySet().containsAll(names)) {
                return states;
            }
            if (System.nanoTime() > deadline) {
                List<String> unseen = names.stream().filter(n -> !states.containsKey(n)).toList();
                throw new TopicProvisioningException("cannot describe topics " + unseen + ": Kafka says they exist but "
                        + "does not list them within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicProvisioningException("interrupted while describing topics");
            }
        }
    }

    /**
     * Waits, within the timeout, until every partition of {@code names} has a leader. Right after
     * creation a partition may have none yet; an idempotent producer sending to it then was seen
     * to retry until its delivery timeout (out-of-order sequence errors), so repro produces to a
     * topic only once it is led.
     */
    public void awaitLeaders(Collection<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> leaderless = new ArrayList<>();
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                for (String name : names) {
                    TopicDescription d = descriptions.get(name);
                    if (d == null || d.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
                        leaderless.add(name);
                    }
                }
            } catch (ExecutionException | TimeoutException e) {
                leaderless.addAll(names); // not in this broker's metadata yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicProvisioningException("interrupted while waiting for partition leaders");
            }
            if (leaderless.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TopicProvisioningException("topics " + leaderless + " have partitions without a leader after "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicProvisioningException("interrupted while waiting for partition leaders");
            }
        }
    }

    /** The topics among {@code names} that exist, with partitions, replication and cleanup settings. */
    public Map<String, TopicState> describe(Collection<String> names) {
        Set<String> present = await(admin.listTopics().names(), "list topics");
        List<String> wanted = names.stream().filter(present::contains).toList();
        if (wanted.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> descriptions = await(admin.describeTopics(wanted).allTopicNames(), "describe topics");
        List<ConfigResource> resources = wanted.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all(), "describe topic configs");
        Map<String, TopicState> states = new LinkedHashMap<>();
        for (String name : wanted) {
            TopicDescription d = descriptions.get(name);
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            String cleanup = c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            Long retention = cleanup.contains(TopicConfig.CLEANUP_POLICY_DELETE)
                    ? Long.valueOf(c.get(TopicConfig.RETENTION_MS_CONFIG).value()) : null;
            states.put(name, new TopicState(name, d.partitions().size(), d.partitions().get(0).replicas().size(),
                    cleanup, retention));
        }
        return states;
    }

    /** Names of {@code specs} that are not on the cluster: for readiness checks. */
    public List<String> missing(Collection<TopicSpec> specs) {
        Set<String> present = await(admin.listTopics().names(), "list topics");
        return specs.stream().map(TopicSpec::name).filter(n -> !present.contains(n)).collect(Collectors.toList());
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new TopicCreationRace();
            }
            throw new TopicProvisioningException("cannot " + what + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new TopicProvisioningException("cannot " + what + ": no answer from Kafka within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicProvisioningException("interrupted while trying to " + what);
        }
    }

    /** Another process created the topic between our listing and our request: it exists, which is what we wanted. */
    private static final class TopicCreationRace extends RuntimeException {
        TopicCreationRace() {
            super(null, null, false, false);
        }
    }
}
