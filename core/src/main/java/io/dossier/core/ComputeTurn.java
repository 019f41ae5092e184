package io.dossier.core;

import java.util.concurrent.Callable;

/**
 * A request's turn to compute: the server lets a few requests compute at once and queues the others
 * ({@code http.max-active}). A request gives its turn back as it starts to answer, and also once it
 * is done computing and waits for its writes to reach the disk ({@link #giveBackToWait}); either
 * way it goes on without one.
 *
 * <p>Why: a write on the embedded database is answered once its commit is on disk, which one
 * thread forces for every writer that committed meanwhile (group commit). Under 16 clients
 * uploading and attaching small files ({@code bench/files.sh}) an attachment waited 7-9 ms for it,
 * several times what it computed; holding one of the four turns of a 2-core node meanwhile, four
 * such waits kept every other request queued while the cores were a fifth idle.
 *
 * <p>Why a turn given back is not taken again after the wait: the request may hold a lock that a
 * request with a turn waits for (a rate limit's bucket, whose take commits while it holds the
 * bucket's monitor), and waiting for a turn then never ends. The first cut took one again; CI hung
 * on exactly that.
 */
@FunctionalInterface
public interface ComputeTurn {

    /** Gives the turn to the next request in line; no-op when it was given back already. */
    void giveBack();

    /**
     * Runs {@code work} (a request) holding {@code turn}, which {@link #giveBackToWait} on this
     * thread gives back; the caller gives it back when the request ends, if nothing did before.
     */
    static <T> T holding(ComputeTurn turn, Callable<T> work) throws Exception {
        var outer = Holder.CURRENT.get();
        Holder.CURRENT.set(turn);
        try {
            return work.call();
        } finally {
            Holder.CURRENT.set(outer);
        }
    }

    /**
     * Gives this thread's turn back, if it holds one, before a wait for the disk: the request has
     * done its computing, and goes on without a turn.
     */
    static void giveBackToWait() {
        var turn = Holder.CURRENT.get();
        if (turn != null) {
            turn.giveBack();
        }
    }

    /** The turn the current thread's request holds. */
    final class Holder {
        private static final ThreadLocal<ComputeTurn> CURRENT = new ThreadLocal<>();

        private Holder() {
        }
    }
}
