package dev.repro.launcher;

import java.io.PrintStream;
import java.time.Duration;

/** What the launcher tells the user: short progress lines on stderr, data on stdout. */
final class Console {

    private final PrintStream progress;

    Console(PrintStream progress) {
        this.progress = progress;
    }

    static Console stderr() {
        return new Console(System.err);
    }

    void say(String line) {
        progress.println("repro: " + line);
        progress.flush();
    }

    static String seconds(long startNanos) {
        return String.format("%.1f s", Duration.ofNanos(System.nanoTime() - startNanos).toMillis() / 1000.0);
    }
}
