package io.dossier.core.paging;

/**
 * Port: the installation's secret key for signing cursors, the same on every node (so a cursor
 * handed out by one node is accepted by all) and kept across restarts (so a client's cursor
 * outlives a deployment). Created at random on first use.
 */
@FunctionalInterface
public interface CursorKey {

    /** At least 32 random bytes. */
    byte[] bytes();
}
