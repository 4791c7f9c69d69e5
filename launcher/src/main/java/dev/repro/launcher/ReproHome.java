package dev.repro.launcher;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@code repro up} keeps its data: {@code REPRO_HOME}, by default {@code ./.repro} of the project. */
final class ReproHome {

    private ReproHome() {
    }

    static Path resolve() {
        String configured = System.getenv("REPRO_HOME");
        Path home = Path.of(configured == null || configured.isBlank() ? ".repro" : configured).toAbsolutePath().normalize();
        try {
            Files.createDirectories(home);
            Path probe = Files.createTempFile(home, ".write-test", "");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new LauncherException("the data directory " + home + " is not writable (REPRO_HOME)");
        } catch (FileSystemException e) {
            throw new LauncherException("the data directory " + home + " cannot be used: "
                    + (e.getReason() == null ? "cannot be created or written" : e.getReason()) + " (REPRO_HOME)");
        } catch (IOException e) {
            throw new LauncherException("the data directory " + home + " cannot be used: " + e.getMessage() + " (REPRO_HOME)");
        }
        return home;
    }

    /** The project's root (the directory of the {@code repro} script), for {@code target/bench}. */
    static Path projectRoot() {
        String root = System.getenv("REPRO_ROOT");
        return Path.of(root == null || root.isBlank() ? "." : root).toAbsolutePath().normalize();
    }

    /** The bootstrap address the last `repro up` of this home wrote, or null. */
    static String runningBootstrap() {
        String configured = System.getenv("REPRO_HOME");
        Path file = Path.of(configured == null || configured.isBlank() ? ".repro" : configured, "bootstrap.servers");
        try {
            return Files.exists(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Where the launcher's own log goes: {@code <home>/logs}, or a directory under the system's
     * temporary directory when the home cannot be used (the command then reports that in one line).
     */
    static Path logDir() {
        String configured = System.getenv("REPRO_HOME");
        Path logs = Path.of(configured == null || configured.isBlank() ? ".repro" : configured, "logs").toAbsolutePath().normalize();
        try {
            return Files.createDirectories(logs);
        } catch (IOException e) {
            return Path.of(System.getProperty("java.io.tmpdir"), "repro-logs-" + System.getProperty("user.name", "user"));
        }
    }
}
