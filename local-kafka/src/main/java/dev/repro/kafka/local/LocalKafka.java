package dev.repro.kafka.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) run from the
 * Kafka jars in a child JVM. The log directory is formatted on first start and reused after,
 * so a second start keeps every record. Ports and the cluster id are remembered in the data
 * directory: a restarted broker comes back on the same address.
 *
 * <p>The child exits when this JVM goes, however it goes (see {@link BrokerMain}).
 */
public final class LocalKafka implements AutoCloseable {

    private static final String STATE_FILE = "repro-broker.properties";

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final Duration startTimeout;
    private final BrokerJvm jvm;
    private final Map<String, String> overrides;
    private Process process;

    private LocalKafka(Builder builder, BrokerState state) {
        this.dataDir = builder.dataDir;
        this.host = builder.host;
        this.port = state.port;
        this.controllerPort = state.controllerPort;
        this.clusterId = state.clusterId;
        this.startTimeout = builder.startTimeout;
        this.jvm = new BrokerJvm(builder.dataDir, builder.heap);
        this.overrides = Map.copyOf(builder.overrides);
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return jvm.logFile();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public long pid() {
        if (process == null) {
            throw new IllegalStateException("broker not started");
        }
        return process.pid();
    }

    /** Formats the log directory if it is new, starts the broker and waits until it serves. */
    public synchronized LocalKafka start() {
        if (isRunning()) {
            return this;
        }
        BrokerJvm.requireBrokerClasses();
        BrokerJvm.requirePortFree(host, port, "broker");
        BrokerJvm.requirePortFree(host, controllerPort, "controller");
        jvm.writeConfig(serverProperties());
        if (!jvm.formatted()) {
            jvm.format(clusterId, List.of("--standalone"));
        }
        process = jvm.launchBroker();
        awaitServing();
        return this;
    }

    /** Stops the broker cleanly (SIGTERM, controlled shutdown), forcibly after 30 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        BrokerJvm.stop(p, BrokerJvm.STOP_TIMEOUT);
    }

    /** Kills the broker with SIGKILL, as a crash would: for fault tests. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        BrokerJvm.kill(p);
    }

    @Override
    public void close() {
        stop();
    }

    private Map<String, String> serverProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", jvm.logDirs().toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        // One broker: every internal topic has one replica, or exactly-once apps hang in initTransactions.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        props.putAll(overrides);
        return props;
    }

    private void awaitServing() {
        Instant deadline = Instant.now().plus(startTimeout);
        while (!BrokerJvm.acceptsConnections(host, port)) {
            checkAlive(deadline);
            BrokerJvm.pause();
        }
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        adminProps.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(adminProps)) {
            while (true) {
                checkAlive(deadline);
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                            .nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not serving yet
                }
                BrokerJvm.pause();
            }
        }
    }

    private void checkAlive(Instant deadline) {
        if (!process.isAlive()) {
            int exit = process.exitValue();
            process = null;
            throw new LocalKafkaException("the broker exited during start-up (exit " + exit + "): "
                    + BrokerJvm.lastLines(logFile(), 3));
        }
        if (Instant.now().isAfter(deadline)) {
            stop();
            throw new LocalKafkaException("the broker did not serve on " + bootstrapServers() + " within "
                    + startTimeout.toSeconds() + " s; see " + logFile());
        }
    }

    /** Ports and cluster id chosen for a data directory, kept beside the log so a restart reuses them. */
    private record BrokerState(int port, int controllerPort, String clusterId) {

        static BrokerState loadOrCreate(Path dataDir, int wantedPort, int wantedControllerPort) {
            Path file = dataDir.resolve(STATE_FILE);
            Properties props = new Properties();
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    props.load(in);
                } catch (IOException e) {
                    throw new LocalKafkaException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
            int port = wantedPort > 0 ? wantedPort : intOr(props, "port", FreePorts.pick());
            int controllerPort = wantedControllerPort > 0 ? wantedControllerPort
                    : intOr(props, "controller.port", pickOtherThan(port));
            String clusterId = props.getProperty("cluster.id", Uuid.randomUuid().toString());
            BrokerState state = new BrokerState(port, controllerPort, clusterId);
            state.save(file);
            return state;
        }

        private static int pickOtherThan(int port) {
            int candidate = FreePorts.pick();
            while (candidate == port) {
                candidate = FreePorts.pick();
            }
            return candidate;
        }

        private static int intOr(Properties props, String key, int fallback) {
            String value = props.getProperty(key);
            return value == null ? fallback : Integer.parseInt(value.strip());
        }

        private void save(Path file) {
            Properties props = new Properties();
            props.setProperty("port", String.valueOf(port));
            props.setProperty("controller.port", String.valueOf(controllerPort));
            props.setProperty("cluster.id", clusterId);
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "repro local broker: ports and cluster id of this data directory");
            } catch (IOException e) {
                throw new LocalKafkaException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public static final class Builder {
        private final Path dataDir;
        private String host = "127.0.0.1";
        private int port;
        private int controllerPort;
        private Duration startTimeout = Duration.ofSeconds(90);
        private String heap = "1g";
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
        }

        /** The client port; 0 (default) reuses the data directory's port, or picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The KRaft controller port; 0 (default) reuses the data directory's, or picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Maximum heap of the broker JVM, in {@code -Xmx} form (default {@code 1g}). */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** Any broker setting, e.g. {@code log.retention.hours}. */
        public Builder brokerConfig(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public LocalKafka build() {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new LocalKafkaException("cannot create the data directory " + dataDir + ": " + describe(e), e);
            }
            if (!Files.isWritable(dataDir)) {
                throw new LocalKafkaException("the data directory " + dataDir + " is not writable");
            }
            return new LocalKafka(this, BrokerState.loadOrCreate(dataDir, port, controllerPort));
        }

        private static String describe(IOException e) {
            return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
        }
    }
}
