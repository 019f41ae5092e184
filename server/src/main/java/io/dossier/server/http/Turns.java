package io.dossier.server.http;

import io.dossier.core.ComputeTurn;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The turns to compute of one port ({@code http.max-active}): a request takes one in arrival order;
 * a request that gave its own back to wait for a disk ({@link ComputeTurn#whileWaiting}) gets one
 * again before any request that has not started, so that what it began ends first. A turn given
 * back goes straight to the first in line, or is kept free when nobody waits.
 *
 * <p>Why not a fair {@link java.util.concurrent.Semaphore}: it has one line, and a request back
 * from its wait would queue behind every request that arrived meanwhile.
 */
final class Turns {

    private final ReentrantLock lock = new ReentrantLock();
    private int free;
    /** Requests waiting for a turn again, served first, each in arrival order. */
    private final ArrayDeque<Waiter> returning = new ArrayDeque<>();
    private final ArrayDeque<Waiter> arriving = new ArrayDeque<>();

    Turns(int turns) {
        free = turns;
    }

    /** Takes a turn for a new request, waiting in arrival order up to {@code timeout}; false when none came. */
    boolean take(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            if (free > 0 && returning.isEmpty() && arriving.isEmpty()) {
                free--;
                return true;
            }
            var waiter = new Waiter(lock.newCondition());
            arriving.add(waiter);
            long left = unit.toNanos(timeout);
            try {
                while (!waiter.granted) {
                    if (left <= 0) {
                        arriving.remove(waiter);
                        return false;
                    }
                    left = waiter.turn.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                if (waiter.granted) {
                    Thread.currentThread().interrupt();   // it came as it was interrupted: keep it
                    return true;
                }
                arriving.remove(waiter);
                throw e;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a turn for a request that gave its own back while it waited, ahead of new requests, however long it takes. */
    void takeAgain() {
        lock.lock();
        try {
            if (free > 0 && returning.isEmpty()) {
                free--;
                return;
            }
            var waiter = new Waiter(lock.newCondition());
            returning.add(waiter);
            while (!waiter.granted) {
                waiter.turn.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives a turn back: to the first request back from a wait, else to the first new one, else keeps it free. */
    void giveBack() {
        lock.lock();
        try {
            var next = returning.poll();
            if (next == null) {
                next = arriving.poll();
            }
            if (next == null) {
                free++;
            } else {
                next.granted = true;
                next.turn.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting for a turn, new or back from a wait. */
    int waiting() {
        lock.lock();
        try {
            return returning.size() + arriving.size();
        } finally {
            lock.unlock();
        }
    }

    /** Turns nobody holds. */
    int free() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }

    private static final class Waiter {
        final Condition turn;
        boolean granted;

        Waiter(Condition turn) {
            this.turn = turn;
        }
    }

    /**
     * One request's turn: given back when the request starts to answer or ends ({@link #end}), and
     * for each wait for a disk before that.
     */
    static final class Held implements ComputeTurn {

        private static final int HELD = 0;
        private static final int GIVEN_BACK = 1;
        private static final int ENDED = 2;

        private final Turns turns;
        /** Changed by the request's thread, and by whichever thread ends the request. */
        private final AtomicInteger state = new AtomicInteger(HELD);

        Held(Turns turns) {
            this.turns = turns;
        }

        @Override
        public void giveBack() {
            if (state.compareAndSet(HELD, GIVEN_BACK)) {
                turns.giveBack();
            }
        }

        @Override
        public void takeAgain() {
            if (state.get() != GIVEN_BACK) {
                return;   // held, or the request has started to answer
            }
            turns.takeAgain();
            if (!state.compareAndSet(GIVEN_BACK, HELD)) {
                turns.giveBack();   // it ended while this waited: the turn goes on at once
            }
        }

        /** The request started to answer, or ended: gives the turn back for good. */
        void end() {
            if (state.getAndSet(ENDED) == HELD) {
                turns.giveBack();
            }
        }
    }
}
