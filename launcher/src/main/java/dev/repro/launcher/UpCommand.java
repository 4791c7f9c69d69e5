package dev.repro.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.repro.config.ReproConfig;
import dev.repro.launcher.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", description = {
        "Starts an embedded single-node Kafka (KRaft) with data under the repro home (./.repro),",
        "creates the topics and starts every app; Ctrl-C stops it all. A second `up` resumes with the data kept."})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--demo", description = {"once up, feed a sample stream (builds, rebuilds, deploys, a drift, runs, replays)",
            "through ingest and show the verdicts, drift, alerts and SLIs as they appear"})
    boolean demo;

    @Override
    public Integer call() throws Exception {
        Console console = Console.stderr();
        Path home = ReproHome.resolve();
        try (FileChannel lockFile = FileChannel.open(home.resolve("up.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new LauncherException("another `repro up` is already running with data in " + home);
            }
            return runUntilInterrupted(console, home, demo);
        }
    }

    private static int runUntilInterrupted(Console console, Path home, boolean demo) throws IOException {
        long t0 = System.nanoTime();
        LocalStack stack = new LocalStack(console);
        AtomicReference<Demo> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread shutdown = new Thread(() -> {
            stopping.set(true);
            console.say("stopping …");
            Demo shown = running.get();
            if (shown != null) {
                shown.close();
            }
            stack.close();
            try {
                Files.deleteIfExists(home.resolve("bootstrap.servers"));
            } catch (IOException e) {
                console.say("could not remove " + home.resolve("bootstrap.servers") + ": " + e.getMessage());
            }
            stopped.countDown();
        }, "repro-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        ReproConfig config;
        try {
            config = stack.start(home, ReproConfig.fromEnvironment());
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(shutdown);
            stack.close();
            throw e;
        }
        if (stopping.get()) {
            awaitQuietly(stopped);
            return 0;
        }
        Files.writeString(home.resolve("bootstrap.servers"), config.bootstrapServers() + "\n", StandardCharsets.UTF_8);
        console.say("up in " + Console.seconds(t0) + ". Kafka: " + config.bootstrapServers()
                + ". Try: ./repro topics, ./repro tail " + config.topicPrefix() + "events.archive --from-beginning");
        console.say("Ctrl-C stops everything; `./repro up` again resumes with the data kept.");
        if (demo) {
            runDemo(console, config, stack, running);
        }
        awaitQuietly(stopped);
        return 0;
    }

    private static void runDemo(Console console, ReproConfig config, LocalStack stack, AtomicReference<Demo> running) {
        String url = stack.ingestUrl().orElse(null);
        if (url == null) {
            console.say("--demo needs ingest, which is not on the class path: no demo");
            return;
        }
        Demo demo = new Demo(config, url, System.out);
        running.set(demo);
        try {
            demo.run();
        } catch (IOException e) {
            console.say("the demo stopped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch stopped) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
