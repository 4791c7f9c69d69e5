package dev.repro.app;

import dev.repro.config.ReproConfig;

/**
 * One repro process (ingest, verifier, drift-detector, sli-aggregator), as the launcher sees it.
 * Each app module registers its implementation in
 * {@code META-INF/services/dev.repro.app.ReproApp}; {@code repro up} starts every one it finds,
 * in {@link #order()}, in one JVM. Each app's own {@code main} starts the same thing alone.
 */
public interface ReproApp {

    /** The module name, e.g. {@code verifier}. */
    String name();

    /** Start order: lower first (ingest before the stream apps before the aggregator). */
    int order();

    /** Starts the app; returns once it is started (not necessarily caught up). */
    RunningApp start(ReproConfig config) throws Exception;
}
