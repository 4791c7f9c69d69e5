package dev.repro.ingest;

import dev.repro.app.ReproApp;
import dev.repro.app.RunningApp;
import dev.repro.config.ReproConfig;

/** Ingest as started by {@code repro up}: first, so that events can flow as soon as the rest is up. */
public final class IngestApp implements ReproApp {

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public RunningApp start(ReproConfig config) throws Exception {
        return IngestService.start(config);
    }
}
