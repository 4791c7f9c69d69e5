package dev.repro.launcher;

/** A command cannot do its job; the message is the one line the user sees. */
final class LauncherException extends RuntimeException {

    LauncherException(String message) {
        super(message);
    }

    LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
