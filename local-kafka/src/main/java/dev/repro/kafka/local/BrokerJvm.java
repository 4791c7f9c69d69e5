package dev.repro.kafka.local;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@link LocalKafka} and {@link LocalKafkaCluster} share about one node's files and JVM:
 * its {@code server.properties} and log4j configuration, formatting its log directory with
 * Kafka's {@code StorageTool}, launching {@link BrokerMain} as a child JVM on this JVM's class
 * path, and stopping or killing that JVM.
 *
 * @param dir     the node's directory: configuration, {@code broker.log}, and the log directory {@code log/}
 * @param heap    maximum heap of the child JVM, in {@code -Xmx} form
 */
record BrokerJvm(Path dir, String heap) {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);

    Path logFile() {
        return dir.resolve("broker.log");
    }

    Path logDirs() {
        return dir.resolve("log");
    }

    Path serverProperties() {
        return dir.resolve("server.properties");
    }

    boolean formatted() {
        return Files.exists(logDirs().resolve("meta.properties"));
    }

    /** Writes {@code server.properties} (and the child's log4j configuration) from {@code props}. */
    Path writeConfig(Map<String, String> props) {
        StringBuilder text = new StringBuilder("# written by repro on every start; edit the repro settings instead\n");
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = serverProperties();
        try {
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J_CONFIG, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalKafkaException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Runs {@code kafka-storage format} on the log directory with {@code quorumArgs} ({@code --standalone}, ...). */
    void format(String clusterId, List<String> quorumArgs) {
        List<String> command = new ArrayList<>(List.of("kafka.tools.StorageTool", "format"));
        command.addAll(quorumArgs);
        command.addAll(List.of("--cluster-id", clusterId, "--config", serverProperties().toString(), "--ignore-formatted"));
        Process formatter = launch(command, false);
        try {
            if (!formatter.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                formatter.destroyForcibly();
                throw new LocalKafkaException("formatting " + logDirs() + " took over " + FORMAT_TIMEOUT.toSeconds()
                        + " s; see " + logFile());
            }
        } catch (InterruptedException e) {
            formatter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LocalKafkaException("interrupted while formatting " + logDirs(), e);
        }
        if (formatter.exitValue() != 0) {
            throw new LocalKafkaException("formatting " + logDirs() + " failed (exit " + formatter.exitValue()
                    + "): " + lastLines(logFile(), 3));
        }
    }

    /** Starts the broker JVM; it exits by itself when this JVM goes (see {@link BrokerMain}). */
    Process launchBroker() {
        return launch(List.of(BrokerMain.class.getName(), serverProperties().toString()), true);
    }

    private Process launch(List<String> mainAndArgs, boolean keepStdinOpen) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx" + heap);
        command.add("-XX:+UseG1GC");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        command.add("-Dkafka.logs.dir=" + dir);
        command.add("-cp");
        command.add(childClassPath());
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        if (!keepStdinOpen) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new LocalKafkaException("cannot start a JVM for the broker: " + e.getMessage(), e);
        }
    }

    /** SIGTERM (controlled shutdown), then SIGKILL after {@code timeout}. */
    static void stop(Process p, Duration timeout) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, as a crash would, and wait for the process to be gone. */
    static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean acceptsConnections(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void requireBrokerClasses() {
        try {
            Class.forName("kafka.Kafka", false, BrokerJvm.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new LocalKafkaException("the broker classes (org.apache.kafka:kafka_2.13) are not on the class path");
        }
    }

    static void requirePortFree(String host, int port, String role) {
        if (!FreePorts.isFree(host, port)) {
            throw new LocalKafkaException("port " + port + " on " + host + " (the " + role
                    + " listener) is already in use by another process");
        }
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalKafkaException("interrupted while waiting for the broker", e);
        }
    }

    private static String childClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static String lastLines(Path file, int count) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> tail = new ArrayList<>();
            for (int i = lines.size() - 1; i >= 0 && tail.size() < count; i--) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("at ")) {
                    tail.add(0, line);
                }
            }
            return tail.isEmpty() ? "(no output; see " + file + ")" : String.join(" | ", tail);
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }

    private static final String LOG4J_CONFIG = """
            status = warn
            appender.out.type = Console
            appender.out.name = out
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = info
            rootLogger.appenderRef.out.ref = out
            logger.kafka.name = kafka
            logger.kafka.level = warn
            logger.apache.name = org.apache.kafka
            logger.apache.level = warn
            logger.started.name = kafka.server.KafkaRaftServer
            logger.started.level = info
            """;
}
