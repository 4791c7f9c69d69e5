package dev.repro.kafka.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of N nodes on loopback, each a broker and a controller of one KRaft quorum
 * (dynamic quorum: every node formatted with the same {@code --initial-controllers}, and
 * {@code controller.quorum.bootstrap.servers} naming all of them), each in a child JVM run from
 * the Kafka jars. Made for fault tests: a node can be {@linkplain ClusterNode#kill() killed}
 * (SIGKILL) and {@linkplain ClusterNode#start() started again}, and the whole cluster stopped
 * cleanly.
 *
 * <p>Replication defaults fit the size: with three nodes or more, every topic (the internal
 * offsets, transaction state and share state topics included) has replication factor 3 and
 * {@code min.insync.replicas} 2, so one node may die without losing an acknowledged write or
 * stopping {@code acks=all} producers. Ports, the cluster id and the controllers' directory ids
 * are remembered in the data directory: a restarted cluster keeps its records and addresses.
 *
 * <p>By default every listener is {@code PLAINTEXT} and anyone may do anything. With
 * {@link Builder#scram} the client listener asks for SASL/SCRAM-SHA-512 and the
 * {@code StandardAuthorizer} allows only what ACLs (or being a super user) allow, as on a secured
 * production cluster: see {@link ScramListener}.
 *
 * <p>Every child exits when this JVM goes, however it goes (see {@link BrokerMain}).
 */
public final class LocalKafkaCluster implements AutoCloseable {

    private static final String STATE_FILE = "repro-cluster.properties";

    private final Path dataDir;
    private final String host;
    private final String clusterId;
    private final Duration startTimeout;
    private final Map<String, String> overrides;
    private final ScramListener scram;
    private final List<ClusterNode> nodes;

    private LocalKafkaCluster(Builder builder, ClusterState state) {
        this.dataDir = builder.dataDir;
        this.host = builder.host;
        this.clusterId = state.clusterId;
        this.startTimeout = builder.startTimeout;
        this.overrides = Map.copyOf(builder.overrides);
        this.scram = builder.scram;
        List<ClusterNode> list = new ArrayList<>();
        for (NodeState n : state.nodes) {
            list.add(new ClusterNode(n, new BrokerJvm(dataDir.resolve("node-" + n.id), builder.heap)));
        }
        this.nodes = List.copyOf(list);
    }

    /** A cluster kept in {@code dataDir}: one sub-directory per node. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Every node's {@code 127.0.0.1:port}, comma-separated, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes.stream().map(ClusterNode::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Whether clients must log in (SASL/SCRAM) and are held to ACLs: see {@link Builder#scram}. */
    public boolean secured() {
        return scram != null;
    }

    /**
     * What an administrator's client needs: {@code bootstrap.servers} and, on a secured cluster,
     * the SASL/SCRAM login of the super user given to {@link Builder#scram}. For
     * {@code Admin.create}, or written to a file as a tool's {@code --command-config}.
     */
    public Map<String, Object> adminClientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (scram != null) {
            props.putAll(ScramListener.clientProperties(scram.adminUser(), scram.adminPassword()));
        }
        return props;
    }

    /**
     * The client settings that log in to a secured cluster as {@code user} ({@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config}); the user is created with
     * {@code Admin.alterUserScramCredentials} (mechanism {@code SCRAM-SHA-512}) by the administrator.
     *
     * @throws IllegalArgumentException when the name or password has other characters than letters, digits, '.', '-', '_'
     */
    public static Map<String, String> scramClientProperties(String user, String password) {
        return ScramListener.clientProperties(user, password);
    }

    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    public List<ClusterNode> nodes() {
        return nodes;
    }

    /** The node with this {@code node.id} (1 to N). */
    public ClusterNode node(int id) {
        return nodes.stream().filter(n -> n.id == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in a cluster of " + nodes.size()));
    }

    /**
     * Formats the nodes' log directories if they are new, starts every node that is not running,
     * all at once (a quorum needs a majority), and waits until each one is a registered,
     * unfenced broker.
     */
    public synchronized LocalKafkaCluster start() {
        List<ClusterNode> starting = nodes.stream().filter(n -> !n.isRunning()).toList();
        if (starting.isEmpty()) {
            return this;
        }
        BrokerJvm.requireBrokerClasses();
        for (ClusterNode n : starting) {
            BrokerJvm.requirePortFree(host, n.port, "broker of node " + n.id);
            BrokerJvm.requirePortFree(host, n.controllerPort, "controller of node " + n.id);
        }
        String initialControllers = nodes.stream()
                .map(n -> n.id + "@" + host + ":" + n.controllerPort + ":" + n.directoryId)
                .collect(Collectors.joining(","));
        inParallel(starting, n -> {
            n.jvm.writeConfig(serverProperties(n));
            if (!n.jvm.formatted()) {
                List<String> args = new ArrayList<>(List.of("--initial-controllers", initialControllers));
                if (scram != null) {
                    args.addAll(scram.formatArgs());
                }
                n.jvm.format(clusterId, args);
            }
        });
        try {
            for (ClusterNode n : starting) {
                n.process = n.jvm.launchBroker();
            }
            awaitRegistered(starting);
        } catch (RuntimeException e) {
            starting.forEach(ClusterNode::kill);
            throw e;
        }
        return this;
    }

    /** Stops every running node cleanly (SIGTERM to all at once, controlled shutdown), forcibly after 30 s. */
    public synchronized void stop() {
        List<Process> running = new ArrayList<>();
        for (ClusterNode n : nodes) {
            synchronized (n) {
                if (n.process != null) {
                    running.add(n.process);
                    n.process = null;
                }
            }
        }
        running.forEach(Process::destroy);
        running.forEach(p -> BrokerJvm.stop(p, BrokerJvm.STOP_TIMEOUT));
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync again (after a node
     * came back, say).
     *
     * @throws LocalKafkaException naming the partitions still under-replicated at the deadline
     */
    public void awaitFullyReplicated(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            List<String> under = List.of("not checked yet");
            while (Instant.now().isBefore(deadline)) {
                try {
                    Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(3000))
                            .names().get(4, TimeUnit.SECONDS);
                    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(4, TimeUnit.SECONDS);
                    under = new ArrayList<>();
                    for (TopicDescription d : described.values()) {
                        for (TopicPartitionInfo p : d.partitions()) {
                            if (p.isr().size() < p.replicas().size()) {
                                under.add(d.name() + "-" + p.partition());
                            }
                        }
                    }
                    if (under.isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    under = List.of("cannot describe the topics: " + notYet.getClass().getSimpleName());
                }
                BrokerJvm.pause();
            }
            throw new LocalKafkaException("partitions still under-replicated after " + timeout.toSeconds() + " s: "
                    + (under.size() > 10 ? under.subList(0, 10) + " and " + (under.size() - 10) + " more" : under));
        }
    }

    private Map<String, String> serverProperties(ClusterNode node) {
        int replication = Math.min(3, nodes.size());
        int minInSync = Math.max(1, replication - 1);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(node.id));
        props.put("controller.quorum.bootstrap.servers", nodes.stream()
                .map(n -> host + ":" + n.controllerPort).collect(Collectors.joining(",")));
        String listener = scram == null ? "PLAINTEXT" : ScramListener.NAME;
        props.put("listeners", listener + "://" + host + ":" + node.port + ",CONTROLLER://" + host + ":" + node.controllerPort);
        props.put("advertised.listeners", listener + "://" + host + ":" + node.port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", listener);
        props.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        props.put("log.dirs", node.jvm.logDirs().toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", String.valueOf(replication));
        props.put("min.insync.replicas", String.valueOf(minInSync));
        props.put("unclean.leader.election.enable", "false");
        props.put("offsets.topic.replication.factor", String.valueOf(replication));
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", String.valueOf(replication));
        props.put("transaction.state.log.min.isr", String.valueOf(minInSync));
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", String.valueOf(replication));
        props.put("share.coordinator.state.topic.min.isr", String.valueOf(minInSync));
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        if (scram != null) {
            props.putAll(scram.brokerProperties());
        }
        props.putAll(overrides);
        return props;
    }

    /** Waits until each of {@code starting} serves and the cluster lists it as an unfenced broker. */
    private void awaitRegistered(List<ClusterNode> starting) {
        Instant deadline = Instant.now().plus(startTimeout);
        for (ClusterNode n : starting) {
            while (!BrokerJvm.acceptsConnections(host, n.port)) {
                checkAlive(starting, deadline);
                BrokerJvm.pause();
            }
        }
        Set<Integer> wanted = starting.stream().map(n -> n.id).collect(Collectors.toSet());
        try (Admin admin = admin()) {
            while (true) {
                checkAlive(starting, deadline);
                try {
                    Set<Integer> registered = new HashSet<>();
                    for (Node node : admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                            .nodes().get(3, TimeUnit.SECONDS)) {
                        registered.add(node.id());
                    }
                    if (registered.containsAll(wanted)) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not serving yet
                }
                BrokerJvm.pause();
            }
        }
    }

    private void checkAlive(List<ClusterNode> starting, Instant deadline) {
        for (ClusterNode n : starting) {
            Process p = n.process;
            if (p == null || !p.isAlive()) {
                String exit = p == null ? "stopped" : "exit " + p.exitValue();
                throw new LocalKafkaException("node " + n.id + " exited during start-up (" + exit + "): "
                        + BrokerJvm.lastLines(n.logFile(), 3));
            }
        }
        if (Instant.now().isAfter(deadline)) {
            throw new LocalKafkaException("nodes " + starting.stream().map(n -> n.id).toList() + " did not all serve on "
                    + bootstrapServers() + " within " + startTimeout.toSeconds() + " s; see " + dataDir + "/node-*/broker.log");
        }
    }

    /** An administrator's client on every node, with short timeouts: for waiting on the cluster. */
    private Admin admin() {
        Properties props = new Properties();
        props.putAll(adminClientProperties());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        return Admin.create(props);
    }

    private static void inParallel(List<ClusterNode> nodes, java.util.function.Consumer<ClusterNode> action) {
        List<CompletableFuture<Void>> all = nodes.stream().map(n -> CompletableFuture.runAsync(() -> action.accept(n))).toList();
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** One node of the cluster: a broker and a controller in one child JVM. */
    public final class ClusterNode {

        private final int id;
        private final int port;
        private final int controllerPort;
        private final String directoryId;
        private final BrokerJvm jvm;
        private volatile Process process;

        private ClusterNode(NodeState state, BrokerJvm jvm) {
            this.id = state.id;
            this.port = state.port;
            this.controllerPort = state.controllerPort;
            this.directoryId = state.directoryId;
            this.jvm = jvm;
        }

        /** Its {@code node.id}, 1 to N: the id Kafka reports as leader, replica and controller. */
        public int id() {
            return id;
        }

        /** {@code 127.0.0.1:port} of its broker listener. */
        public String bootstrapServers() {
            return host + ":" + port;
        }

        public int port() {
            return port;
        }

        public int controllerPort() {
            return controllerPort;
        }

        public Path logFile() {
            return jvm.logFile();
        }

        public boolean isRunning() {
            Process p = process;
            return p != null && p.isAlive();
        }

        public long pid() {
            Process p = process;
            if (p == null) {
                throw new IllegalStateException("node " + id + " not started");
            }
            return p.pid();
        }

        /** Starts this node again (after {@link #kill()} or {@link #stop()}); waits until the cluster lists it. */
        public ClusterNode start() {
            synchronized (LocalKafkaCluster.this) {
                if (isRunning()) {
                    return this;
                }
                if (!jvm.formatted()) {
                    throw new LocalKafkaException("node " + id + " was never formatted; start the cluster first");
                }
                BrokerJvm.requirePortFree(host, port, "broker of node " + id);
                BrokerJvm.requirePortFree(host, controllerPort, "controller of node " + id);
                jvm.writeConfig(serverProperties(this));
                process = jvm.launchBroker();
                try {
                    awaitRegistered(List.of(this));
                } catch (RuntimeException e) {
                    kill();
                    throw e;
                }
                return this;
            }
        }

        /** Stops this node cleanly (SIGTERM, controlled shutdown), forcibly after 30 s. */
        public synchronized void stop() {
            Process p = process;
            process = null;
            if (p != null) {
                BrokerJvm.stop(p, BrokerJvm.STOP_TIMEOUT);
            }
        }

        /** Kills this node with SIGKILL, as a crash would, and waits until the process is gone. */
        public synchronized void kill() {
            Process p = process;
            process = null;
            if (p != null) {
                BrokerJvm.kill(p);
            }
        }

        @Override
        public String toString() {
            return "node " + id + " (" + bootstrapServers() + ", controller " + host + ":" + controllerPort + ")";
        }
    }

    private record NodeState(int id, int port, int controllerPort, String directoryId) {
    }

    /** Ports, cluster id and directory ids chosen for a data directory, kept so a restart reuses them. */
    private record ClusterState(String clusterId, List<NodeState> nodes) {

        static ClusterState loadOrCreate(Path dataDir, int size) {
            Path file = dataDir.resolve(STATE_FILE);
            Properties props = new Properties();
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    props.load(in);
                } catch (IOException e) {
                    throw new LocalKafkaException("cannot read " + file + ": " + e.getMessage(), e);
                }
                int kept = Integer.parseInt(props.getProperty("nodes", "0").strip());
                if (kept != size) {
                    throw new LocalKafkaException(dataDir + " holds a cluster of " + kept + " nodes, not " + size
                            + "; use another data directory");
                }
            }
            Set<Integer> taken = new HashSet<>();
            List<NodeState> nodes = new ArrayList<>();
            for (int id = 1; id <= size; id++) {
                int port = intOr(props, "node." + id + ".port", taken);
                int controllerPort = intOr(props, "node." + id + ".controller.port", taken);
                String directoryId = props.getProperty("node." + id + ".directory.id", Uuid.randomUuid().toString());
                nodes.add(new NodeState(id, port, controllerPort, directoryId));
            }
            ClusterState state = new ClusterState(props.getProperty("cluster.id", Uuid.randomUuid().toString()), nodes);
            state.save(file);
            return state;
        }

        /** The kept port, or a free one no other node of this cluster has. */
        private static int intOr(Properties props, String key, Set<Integer> taken) {
            String value = props.getProperty(key);
            int port;
            if (value != null) {
                port = Integer.parseInt(value.strip());
            } else {
                do {
                    port = FreePorts.pick();
                } while (taken.contains(port));
            }
            taken.add(port);
            return port;
        }

        private void save(Path file) {
            Properties props = new Properties();
            props.setProperty("cluster.id", clusterId);
            props.setProperty("nodes", String.valueOf(nodes.size()));
            for (NodeState n : nodes) {
                props.setProperty("node." + n.id + ".port", String.valueOf(n.port));
                props.setProperty("node." + n.id + ".controller.port", String.valueOf(n.controllerPort));
                props.setProperty("node." + n.id + ".directory.id", n.directoryId);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "repro local cluster: ports, cluster id and controller directory ids of this data directory");
            } catch (IOException e) {
                throw new LocalKafkaException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public static final class Builder {
        private final Path dataDir;
        private final String host = "127.0.0.1";
        private int size = 3;
        private Duration startTimeout = Duration.ofSeconds(120);
        private String heap = "512m";
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private ScramListener scram;

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
        }

        /** How many nodes (default 3); each is a broker and a controller. */
        public Builder nodes(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, got " + size);
            }
            this.size = size;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Maximum heap of each node's JVM, in {@code -Xmx} form (default {@code 512m}). */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** Any broker setting for every node, e.g. {@code broker.session.timeout.ms}. */
        public Builder brokerConfig(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * Secures the cluster as a production one would be: clients must log in with
         * SASL/SCRAM-SHA-512 on a {@code SASL_PLAINTEXT} listener (which the brokers also use
         * between them, as {@code adminUser}); the {@code StandardAuthorizer} with
         * {@code allow.everyone.if.no.acl.found=false} allows only what ACLs allow; {@code adminUser}
         * is a super user, its credential written into the metadata log when the nodes are
         * formatted. Choose it before the first start of a data directory: one formatted without it
         * has no administrator. Names and passwords: letters, digits, '.', '-', '_'.
         */
        public Builder scram(String adminUser, String adminPassword) {
            this.scram = new ScramListener(adminUser, adminPassword);
            return this;
        }

        public LocalKafkaCluster build() {
            try {
                Files.createDirectories(dataDir);
                for (int id = 1; id <= size; id++) {
                    Files.createDirectories(dataDir.resolve("node-" + id));
                }
            } catch (IOException e) {
                throw new LocalKafkaException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
            }
            if (!Files.isWritable(dataDir)) {
                throw new LocalKafkaException("the data directory " + dataDir + " is not writable");
            }
            return new LocalKafkaCluster(this, ClusterState.loadOrCreate(dataDir, size));
        }
    }
}
