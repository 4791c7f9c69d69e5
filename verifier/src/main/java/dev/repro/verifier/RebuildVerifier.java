package dev.repro.verifier;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.serde.Encoded;
import dev.repro.streams.ExpiryIndex;

/**
 * Keyed by recipe key, partitioned by artifact name: keeps each distinct build of a recipe
 * ({@value #BUILDS_STORE}, a {@link RecipeStore}: one entry per build), records the recipe's
 * status in its artifact's history ({@value #ARTIFACTS_STORE}, one entry per recipe) and emits
 * the recipe's verdict, timestamped with its {@code as_of}.
 * A duplicate (same source and id) changes nothing and emits nothing. Recipes whose latest build
 * is older than stream time minus the retention are removed ({@value #EXPIRY_STORE}, an
 * {@link ExpiryIndex}). The artifact's history is written only when the recipe's status or first
 * build changed.
 */
final class RebuildVerifier implements Processor<String, Encoded<BuildEvent>, String, RebuildVerdict> {

    static final String BUILDS_STORE = "recipe-builds-store";
    static final String ARTIFACTS_STORE = "recipes-by-artifact-store";
    static final String EXPIRY_STORE = "recipe-expiry-store";

    private static final Logger LOG = LoggerFactory.getLogger(RebuildVerifier.class);

    private final long retentionMs;
    private ProcessorContext<String, RebuildVerdict> context;
    private RecipeStore recipes;
    private ArtifactRecipes artifacts;
    private ExpiryIndex expiry;

    RebuildVerifier(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, RebuildVerdict> context) {
        this.context = context;
        this.recipes = new RecipeStore(context.getStateStore(BUILDS_STORE));
        this.artifacts = new ArtifactRecipes(context.getStateStore(ARTIFACTS_STORE));
        this.expiry = new ExpiryIndex(context.getStateStore(EXPIRY_STORE));
        Duration every = Duration.ofMillis(Math.max(1000L, Math.min(retentionMs / 24, Duration.ofHours(1).toMillis())));
        context.schedule(every, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Encoded<BuildEvent>> record) {
        String recipeKey = record.key();
        BuildEvent build = record.value().value();
        RecipeBuilds recipe = recipes.load(recipeKey);
        boolean isNew = recipe.isEmpty();
        Long firstBefore = isNew ? null : recipe.firstSeen();
        RebuildStatus statusBefore = isNew ? null : RebuildVerification.status(recipe.builds());
        if (!recipe.add(build)) {
            LOG.debug("duplicate build {} from {} of {} ignored", build.getId(), build.getSource(), recipeKey);
            return;
        }
        recipes.add(recipeKey, record.value());
        if (isNew) {
            expiry.register(recipeKey, recipe.lastSeen());
        }

        RebuildStatus status = RebuildVerification.status(recipe.builds());
        if (status != statusBefore || firstBefore == null || firstBefore != recipe.firstSeen()) {
            artifacts.update(recipeKey, firstBefore, recipe.firstSeen(), status);
        }

        RebuildVerdict verdict = RebuildVerification.judge(recipeKey, recipe,
                artifacts.isRegression(recipeKey, recipe.firstSeen(), status));
        context.forward(new Record<>(recipeKey, verdict, verdict.getAsOf().toEpochMilli()));
    }

    private void purge(long streamTime) {
        Map<String, RecipeBuilds> expired = expiry.expired(streamTime - retentionMs, recipes::load,
                recipe -> recipe.isEmpty() ? Long.MIN_VALUE : recipe.lastSeen());
        for (Map.Entry<String, RecipeBuilds> e : expired.entrySet()) {
            if (!e.getValue().isEmpty()) {
                artifacts.remove(e.getKey(), e.getValue().firstSeen());
                recipes.remove(e.getKey());
            }
        }
    }
}
