package dev.repro.app;

import java.util.List;

/** A started app: what it serves, whether it is ready, and how to stop it. */
public interface RunningApp extends AutoCloseable {

    /** Human-readable endpoints, e.g. {@code http://127.0.0.1:8080}, or what it consumes and produces. */
    List<String> endpoints();

    /** Ready to do its job (e.g. a Streams app in RUNNING state, an HTTP server bound). */
    boolean isReady();

    /** Stops cleanly and releases every thread, socket and file it holds. */
    @Override
    void close();
}
