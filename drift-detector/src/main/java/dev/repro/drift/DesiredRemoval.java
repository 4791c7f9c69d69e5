package dev.repro.drift;

/**
 * The value standing for a desired state withdrawn: a tombstone (a key without value) on the
 * compacted desired-state topic. The record key says whose: {@code service/environment} or
 * {@code service/environment/cluster}.
 */
public enum DesiredRemoval {
    INSTANCE
}
