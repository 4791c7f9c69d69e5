package dev.repro.verifier;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.schema.BuildEvent;
import dev.repro.serde.Encoded;
import dev.repro.streams.TimeIndex;

/**
 * The builds of every recipe in the {@value RebuildVerifier#BUILDS_STORE}: one entry per distinct
 * build, in the bytes it was read from, written once when the build arrives. A recipe is the entries
 * under its prefix, read in one prefix scan. Adding a build so costs one build's bytes in RocksDB and
 * in the changelog however many builds the recipe already has (a release rebuilt every night for a
 * year included), where a recipe kept as one value was written whole again on every build.
 *
 * <p>Keys are {@code <8 hex digits: length of the recipe key><recipe key><19-digit event time ms>|<8
 * hex digits: length of the source><source><id>}: the length fixes where the recipe key ends, so no
 * recipe's prefix is the beginning of another's whatever characters its key holds, and a build's
 * time, source and id make its key unique within the recipe.
 */
final class RecipeStore {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, Encoded<BuildEvent>> store;

    RecipeStore(KeyValueStore<String, Encoded<BuildEvent>> store) {
        this.store = store;
    }

    /** The recipe's distinct builds in event-time order; empty when none is kept. */
    RecipeBuilds load(String recipeKey) {
        List<BuildEvent> builds = new ArrayList<>();
        try (KeyValueIterator<String, Encoded<BuildEvent>> entries = store.prefixScan(prefix(recipeKey), KEYS)) {
            entries.forEachRemaining(entry -> builds.add(entry.value.value()));
        }
        return new RecipeBuilds(builds);
    }

    /** Keeps {@code build}, a build of {@code recipeKey} not kept yet. */
    void add(String recipeKey, Encoded<BuildEvent> build) {
        store.put(key(recipeKey, build.value()), build);
    }

    /** Forgets every build of the recipe. */
    void remove(String recipeKey) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Encoded<BuildEvent>> entries = store.prefixScan(prefix(recipeKey), KEYS)) {
            entries.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    /** Where {@code build} of {@code recipeKey} is kept. */
    private static String key(String recipeKey, BuildEvent build) {
        return prefix(recipeKey) + TimeIndex.key(build.getTime().toEpochMilli(),
                hex(build.getSource().length()) + build.getSource() + build.getId());
    }

    /** What every key of the recipe's builds starts with, and no other key. */
    private static String prefix(String recipeKey) {
        return hex(recipeKey.length()) + recipeKey;
    }

    private static String hex(int length) {
        return HexFormat.of().toHexDigits(length);
    }
}
