package dev.repro.alerts.target;

import java.time.Instant;

import dev.repro.alerts.TargetKind;

/** Turns a change of an alert into the request one kind of target understands. Pure: no I/O, no clock. */
public interface AlertTarget {

    TargetKind kind();

    /** The request that delivers {@code change}, built at {@code now} (the moment it is sent). */
    OutboundRequest request(Change change, Instant now);
}
