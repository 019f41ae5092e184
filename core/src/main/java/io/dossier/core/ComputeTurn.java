package io.dossier.core;

import java.util.function.Supplier;

/**
 * A request's turn to compute: the server lets a few requests compute at once and queues the others
 * ({@code http.max-active}). Work that then waits for a disk rather than computing gives its turn
 * to the next request for as long as it waits ({@link #whileWaiting}), and takes one again before
 * it goes on.
 *
 * <p>Why: a write on the embedded database is answered once its commit is on disk, which one
 * thread forces for every writer that committed meanwhile (group commit). Under 16 clients
 * uploading and attaching small files ({@code bench/files.sh}) an attachment waited 7-9 ms for it,
 * several times what it computed; holding one of the four turns of a 2-core node meanwhile, four
 * such waits kept every other request queued while the cores were a fifth idle.
 */
public interface ComputeTurn {

    /** Gives the turn to the next request in line; no-op when it was given back already. */
    void giveBack();

    /** Waits for a turn again, ahead of the requests that have not started (none when the request has started to answer). */
    void takeAgain();

    /**
     * Runs {@code work} (a request) holding {@code turn}, which {@link #whileWaiting} on this thread
     * gives back and takes again; the caller gives it back when the request ends.
     */
    static <T, E extends Exception> T holding(ComputeTurn turn, Work<T, E> work) throws E {
        var outer = Holder.CURRENT.get();
        Holder.CURRENT.set(turn);
        try {
            return work.run();
        } finally {
            Holder.CURRENT.set(outer);
        }
    }

    /**
     * Runs {@code wait} (a wait for a disk, not computing) without this thread's turn, if it holds
     * one: gives it back first and takes it again after.
     */
    static <T> T whileWaiting(Supplier<T> wait) {
        var turn = Holder.CURRENT.get();
        if (turn == null) {
            return wait.get();
        }
        turn.giveBack();
        try {
            return wait.get();
        } finally {
            turn.takeAgain();
        }
    }

    static void whileWaiting(Runnable wait) {
        whileWaiting(() -> {
            wait.run();
            return null;
        });
    }

    /** What runs holding a turn. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** The turn the current thread's request holds. */
    final class Holder {
        private static final ThreadLocal<ComputeTurn> CURRENT = new ThreadLocal<>();

        private Holder() {
        }
    }
}
