package dev.repro.launcher;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;

/** Opens an admin client and checks, within a bound, that the cluster answers. */
final class KafkaReach {

    private KafkaReach() {
    }

    static Admin admin(ReproConfig config, int timeoutSeconds) {
        Map<String, Object> props = new KafkaClientSettings(config).admin();
        props.put("request.timeout.ms", String.valueOf(Math.min(timeoutSeconds, 10) * 1000));
        props.put("default.api.timeout.ms", String.valueOf(timeoutSeconds * 1000));
        Admin admin = Admin.create(props);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutSeconds * 1000))
                    .clusterId().get(timeoutSeconds + 1L, TimeUnit.SECONDS);
            return admin;
        } catch (ExecutionException | TimeoutException e) {
            admin.close();
            throw new LauncherException("cannot reach Kafka at " + config.bootstrapServers() + " within "
                    + timeoutSeconds + " s (is `./repro up` running? set REPRO_BOOTSTRAP_SERVERS for another cluster)");
        } catch (InterruptedException e) {
            admin.close();
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    /** The configuration for commands that talk to a running stack: `repro up`'s broker unless told otherwise. */
    static ReproConfig clientConfig() {
        ReproConfig config = ReproConfig.fromEnvironment();
        if (System.getenv(ReproConfig.BOOTSTRAP_SERVERS) == null) {
            String fromUp = ReproHome.runningBootstrap();
            if (fromUp != null) {
                config = config.with(ReproConfig.BOOTSTRAP_SERVERS, fromUp);
            }
        }
        return config;
    }
}
