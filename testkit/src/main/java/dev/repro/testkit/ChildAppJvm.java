package dev.repro.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A repro app as a user runs it, {@code java -Xmx256m -jar target/<app>.jar}, in a child JVM of the
 * test: configured only by the environment given (every {@code REPRO_*} and {@code KAFKA_*} variable
 * of the test's own environment removed), its output in a log file. For fault tests: {@link #kill()}
 * is a crash (SIGKILL: no commit, no close, an open transaction left behind). Use it in
 * try-with-resources: {@link #close()} kills the JVM if it still runs.
 */
public final class ChildAppJvm implements AutoCloseable {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;

    private ChildAppJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * The module's runnable jar, {@code target/<artifactId>.jar} of the module under test: failsafe runs
     * the integration tests after {@code package}, in the module's directory.
     */
    public static Path moduleJar(String artifactId) {
        Path jar = Path.of("target", artifactId + ".jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with `./mvnw verify`, which packages first");
        }
        return jar;
    }

    /** Starts {@code java -Xmx256m -jar jar} with exactly {@code env} as its repro settings, writing its output to {@code log}. */
    public static ChildAppJvm start(Path jar, Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("REPRO_") || k.startsWith("KAFKA_"));
        environment.putAll(env);
        return new ChildAppJvm(jar.getFileName().toString(), builder.start(), log);
    }

    /** Kills the JVM with SIGKILL and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs " + EXIT_TIMEOUT + " after SIGKILL");
        }
    }

    /** Stops the JVM with SIGTERM (the app's shutdown hook closes it), or SIGKILL after {@code timeout}; returns the exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Runs {@code wait} (e.g. a wait on the app's consumer group); when it fails, the failure carries
     * whether the JVM still runs and the end of its output, which the test's temporary directory
     * would otherwise take away.
     */
    public <T> T whileRunning(Callable<T> wait) throws Exception {
        try {
            return wait.call();
        } catch (Exception | AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + this + (isAlive() ? " still runs" : " exited with " + process.exitValue())
                    + "; its output ends with:\n" + logTail(40), e);
        }
    }

    /** The last {@code lines} lines of the JVM's output, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the JVM if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
